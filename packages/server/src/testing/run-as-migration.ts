import type pg from 'pg';

/** Test support: runs statements in one transaction, as TypeORM runs a migration (rolled back on error). */
export async function runAsMigration(pool: pg.Pool, statements: string[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const sql of statements) await client.query(sql);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
