import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { installTracked } from './install-tracked.js';
import { withRowtrail } from './with-rowtrail.js';

export interface TrackedTestDatabase {
  db: TestDatabase;
  /** A Rowtrail-wired DataSource with the entities synchronised and Rowtrail installed. */
  dataSource: DataSource;
  close(): Promise<void>;
}

/** A test file's own database with a Rowtrail-wired DataSource for `entities` (test support). */
export async function openTrackedDatabase(label: string, entities: MixedList<Function | string | EntitySchema>, poolSize = 5): Promise<TrackedTestDatabase> {
  const db = await createTestDatabase(label);
  const dataSource = new DataSource(withRowtrail({ type: 'postgres', url: db.url, entities, synchronize: true, poolSize }));
  await dataSource.initialize();
  await installTracked(dataSource);
  return {
    db,
    dataSource,
    async close() {
      await dataSource.destroy();
      await db.drop();
    },
  };
}
