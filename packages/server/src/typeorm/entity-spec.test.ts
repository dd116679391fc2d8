import { describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { trackedTableSpecs } from './entity-spec.js';
import { LineItem, Product, UntrackedNote } from './test-entities.js';
import { protectedTableSpecs } from './protection-specs.js';
import {
  LINK_ENTITIES, SHAPE_ENTITIES, ShapeArticle, ShapeClip, ShapeCustomer, ShapeInvoice, ShapeMedia, ShapeProfile, ShapeStill, ShapeTag, ShapeProfileProtected, ShapeSameA, ShapeSameB, ShapeSameWrittenA, ShapeSameWrittenB, ShapeSharedA, ShapeSharedB,
} from './entity-shape-test-entities.js';

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

async function dataSourceOf(entities: Function[]) {
  const dataSource = new DataSource({ type: 'postgres', entities });
  await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  return dataSource;
}

describe('trackedTableSpecs: relations, inheritance, embedded objects (no database)', () => {
  it('keeps relation join columns and maps relation names to them in exclude and ignoreChanges', async () => {
    const spec = (await specsOf(SHAPE_ENTITIES)).find((s) => s.table === 'shape_order')!;
    expect(spec.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['customerId', 'lastEditorId', 'warehouseRegion', 'warehouseCode', 'buyer_id']));
    expect(spec.columns.find((c) => c.name === 'customerId')).toEqual({ name: 'customerId', type: 'integer' });
    expect(new Set(spec.columns.map((c) => c.name)).size).toBe(spec.columns.length);
    expect(spec.ignoreChanges).toEqual(['lastEditorId', 'warehouseRegion', 'warehouseCode']);
  });

  it('specifies a single-table inheritance table once, from its root: every child column and the discriminator', async () => {
    const specs = (await specsOf(SHAPE_ENTITIES)).filter((s) => s.table === 'shape_content');
    expect(specs).toHaveLength(1);
    expect(specs[0].columns.map((c) => c.name).sort()).toEqual(['body', 'id', 'kind', 'title', 'url']);
  });

  it('refuses two entities of one table with different @Tracked options, naming both; merges the same options', async () => {
    await expect(specsOf([ShapeSharedA, ShapeSharedB])).rejects.toThrow(/ShapeSharedA and ShapeSharedB .*public\.shape_shared/);
    const specs = await specsOf([ShapeSameA, ShapeSameB]);
    expect(specs).toHaveLength(1);
    expect(specs[0]).toMatchObject({ table: 'shape_same', ignoreChanges: ['seen_at'] });
    expect(specs[0].columns.map((c) => c.name)).toEqual(['id', 'name', 'seen_at', 'extra']);
  });

  it('merges options that name the same columns in another order or by column name instead of property', async () => {
    const specs = await specsOf([ShapeSameWrittenA, ShapeSameWrittenB]);
    expect(specs).toHaveLength(1);
    expect(specs[0].exclude.sort()).toEqual(['secret', 'seen_at']);
  });

  it('resolves a name by property path, then property name, then column name', async () => {
    const specs = await specsOf(SHAPE_ENTITIES);
    // embedded columns by path: both secrets, and no street
    expect(specs.find((s) => s.table === 'shape_order')!.exclude).toEqual(['homeSecret', 'workSecret']);
    // the property `password` (column pw_hash), not the column named "password"
    expect(specs.find((s) => s.table === 'shape_account')!.exclude).toEqual(['pw_hash']);
  });

  it('refuses a bare name that several embedded properties share, listing them', async () => {
    await expect(specsOf([ShapeProfile])).rejects.toThrow(/"secret".*"home\.secret" \(homeSecret\), "work\.secret" \(workSecret\)/);
  });
});

describe('protectedTableSpecs: field names resolve as @Tracked names do (no database)', () => {
  it('maps a relation to its join column and a property to its column before a column of the same name', async () => {
    const specs = protectedTableSpecs(await dataSourceOf(SHAPE_ENTITIES));
    expect(specs.find((s) => s.table === 'shape_order')!.protections).toEqual([{ kind: 'read_only', name: 'buyer_fixed', fields: ['buyer_id'] }]);
    expect(specs.find((s) => s.table === 'shape_account')!.protections).toEqual([{ kind: 'read_only', name: 'password_fixed', fields: ['pw_hash'] }]);
  });

  it('refuses a field name that several embedded properties share', async () => {
    const dataSource = await dataSourceOf([ShapeProfileProtected]);
    expect(() => protectedTableSpecs(dataSource)).toThrow(/"street".*"home\.street" \(homeStreet\), "work\.street" \(workStreet\)/);
  });
});

describe('trackedTableSpecs: join tables of many-to-many relations (no database)', () => {
  it('specifies the join table a @Tracked entity names in manyToMany, once when both sides name it', async () => {
    const specs = await specsOf(LINK_ENTITIES);
    expect(specs.map((s) => s.table)).toEqual(['shape_tag', 'shape_article', 'shape_article_tag']);
    expect(specs[2]).toEqual({
      schema: 'public', table: 'shape_article_tag', primaryKey: ['shapeArticleId', 'shapeTagId'], label: 'snapshot',
      columns: [{ name: 'shapeArticleId', type: 'integer' }, { name: 'shapeTagId', type: 'integer' }], exclude: [], ignoreChanges: [],
    });
  });

  it('finds a relation the root of single-table inheritance names on whichever child declares it', async () => {
    const specs = await specsOf([ShapeTag, ShapeArticle, ShapeMedia, ShapeClip, ShapeStill]);
    expect(specs.filter((s) => s.table.endsWith('_topic')).map((s) => [s.table, s.primaryKey])).toEqual([['shape_clip_topic', ['shapeMediaId', 'shapeTagId']]]);
  });

  it('refuses a name that is not a many-to-many relation, naming the entity and its many-to-many relations', async () => {
    await expect(specsOf([ShapeCustomer, ShapeInvoice])).rejects.toThrow(
      'Rowtrail: @Tracked(manyToMany) on ShapeInvoice names "customer", which is not a many-to-many relation of it (it has none)',
    );
  });
});

