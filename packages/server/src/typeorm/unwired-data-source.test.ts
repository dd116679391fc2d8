// A DataSource made without withRowtrail() installs fine, but its writes reach the triggers without request context:
// installTracked() says so, once per call, as a Node warning (which an application may handle or silence by its code).
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { installTracked } from './install-tracked.js';
import { Tracked } from './tracked-decorator.js';
import { withRowtrail } from './with-rowtrail.js';

@Tracked()
@Entity({ name: 'unwired_note' })
class UnwiredNote {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) body!: string;
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('unwired_data_source');
});
afterAll(() => db.drop());

async function warningsOfInstall(options: ConstructorParameters<typeof DataSource>[0]): Promise<string[]> {
  const seen: string[] = [];
  const listener = (warning: Error & { code?: string }) => { if (warning.code === 'ROWTRAIL_UNWIRED_DATASOURCE') seen.push(warning.message); };
  process.on('warning', listener);
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  try {
    await installTracked(dataSource);
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
  } finally {
    process.off('warning', listener);
    await dataSource.destroy();
  }
  return seen;
}

describe('installTracked() of a DataSource without Rowtrail\'s driver', () => {
  it('warns that its writes are recorded without request context', async () => {
    expect(await warningsOfInstall({ type: 'postgres', url: db.url, entities: [UnwiredNote], synchronize: true })).toEqual([
      'Rowtrail: this DataSource does not use Rowtrail\'s driver, so its writes are recorded without request context (no user, request id or URL): create its options with withRowtrail(options)',
    ]);
  });

  it('does not warn for a DataSource made with withRowtrail()', async () => {
    expect(await warningsOfInstall(withRowtrail({ type: 'postgres', url: db.url, entities: [UnwiredNote], synchronize: true }))).toEqual([]);
  });
});
