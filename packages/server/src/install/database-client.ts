import pg from 'pg';

/** Anything Rowtrail can run SQL on: a pool, a pooled client or a plain client. */
export type Queryable = pg.Pool | pg.PoolClient | pg.Client;

function isPool(db: Queryable): db is pg.Pool {
  const candidate = db as unknown as { totalCount?: unknown };
  return db instanceof pg.Pool || typeof candidate.totalCount === "number";
}

/** Runs fn inside one transaction on one connection; rolls back on error, or when rollbackIf says so of its result. */
export async function inTransaction<T>(db: Queryable, fn: (client: pg.ClientBase) => Promise<T>, { rollbackIf }: { rollbackIf?: (result: T) => boolean } = {}): Promise<T> {
  const client = isPool(db) ? await db.connect() : db;
  try {
    // READ COMMITTED whatever the role's default: after waiting for the install lock, each statement must see what
    // the installer that held it committed (a REPEATABLE READ snapshot, taken before, applied core files again)
    await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    try {
      const result = await fn(client);
      await client.query(rollbackIf?.(result) ? 'ROLLBACK' : 'COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    if (isPool(db)) (client as pg.PoolClient).release();
  }
}
