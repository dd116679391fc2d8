import { describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { trackedTableSpecs } from './entity-spec.js';
import { LineItem, Product, UntrackedNote } from './test-entities.js';

// Metadata is built without connecting: the spec is a pure function of the entities.
async function specsOf(entities: Function[]) {
  const dataSource = new DataSource({ type: 'postgres', entities });
  await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  return trackedTableSpecs(dataSource);
}

describe('trackedTableSpecs (no database)', () => {
  it('maps @Tracked entities to specs: database column names, types without length, exclude and ignoreChanges', async () => {
    const specs = await specsOf([Product, LineItem, UntrackedNote]);
    expect(specs.map((s) => s.table)).toEqual(['product', 'line_item']);
    expect(specs[0]).toEqual({
      schema: 'public', table: 'product', primaryKey: ['id'], label: 'snapshot',
      columns: [
        { name: 'id', type: 'integer' }, { name: 'name', type: 'text' }, { name: 'price', type: 'numeric(10,2)' },
        { name: 'stock', type: 'integer' }, { name: 'attributes', type: 'jsonb' }, { name: 'secret_note', type: 'text' },
        { name: 'updated_at', type: 'timestamp with time zone' }, { name: 'deleted_at', type: 'timestamp with time zone' },
      ],
      exclude: ['secret_note'], ignoreChanges: ['updated_at'],
    });
    expect(specs[1].primaryKey).toEqual(['order_id', 'line_no']);
  });
});
