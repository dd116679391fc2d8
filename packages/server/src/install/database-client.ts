import pg from 'pg';

/** Anything Rowtrail can run SQL on: a pool, a pooled client or a plain client. */
export type Queryable = pg.Pool | pg.PoolClient | pg.Client;

/** Whether db is a pool (Rowtrail borrows a connection of its own) rather than a client the caller holds. */
export function isPool(db: Queryable): db is pg.Pool {
  const candidate = db as unknown as { totalCount?: unknown };
  return db instanceof pg.Pool || typeof candidate.totalCount === "number";
}

/**
 * Runs fn on a connection borrowed from db (a client is used as it is). A pooled client emits 'error' when its connection
 * is lost (a failover, pg_terminate_backend), and an 'error' event without a listener ends the Node process: while
 * borrowed it has one, so the loss reaches the caller as the failed statement's rejection, and the broken connection
 * is dropped from the pool rather than returned to it.
 */
export async function onBorrowedClient<T>(db: Queryable, fn: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  if (!isPool(db)) return fn(db);
  const client = await db.connect();
  let lost: Error | undefined;
  const onError = (error: Error) => { lost = error; };
  client.on('error', onError);
  try {
    return await fn(client);
  } finally {
    // a lost connection keeps the listener: its socket may still report after the pool dropped it
    if (!lost) client.off('error', onError);
    client.release(lost);
  }
}

/** Runs fn inside one transaction on one connection; rolls back on error, or when rollbackIf says so of its result. */
export async function inTransaction<T>(db: Queryable, fn: (client: pg.ClientBase) => Promise<T>, { rollbackIf }: { rollbackIf?: (result: T) => boolean } = {}): Promise<T> {
  return onBorrowedClient(db, async (client) => {
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
  });
}
