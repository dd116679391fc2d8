import { describe, expect, it } from 'vitest';
import { buildCaptureDdl, buildDropCaptureDdl } from './capture-ddl.js';
import { identifierName } from './identifier-name.js';
import { resolveSchemaOptions, type TrackedTableSpec } from './tracked-table-spec.js';

const spec: TrackedTableSpec = {
  schema: 'public', table: 'order', primaryKey: ['id'], label: 'snapshot', exclude: ['token'], ignoreChanges: ['updated_at'],
  columns: [
    { name: 'id', type: 'integer' }, { name: 'status', type: 'text' }, { name: 'token', type: 'text' },
    { name: 'doc', type: 'json' }, { name: 'updated_at', type: 'timestamptz' },
  ],
};
const options = resolveSchemaOptions();

describe('buildCaptureDdl (pure)', () => {
  const ddl = buildCaptureDdl(spec, options);
  const sql = ddl.statements.join(';\n');

  it('creates a typed history table without constraints, defaults or identity', () => {
    expect(ddl.snapshotTable).toBe('order_history');
    expect(ddl.statements[0]).toBe(
      'CREATE TABLE IF NOT EXISTS "rowtrail"."order_history" ("rowtrail_event_id" bigint, "rowtrail_created_at" timestamptz, "rowtrail_label" text, ' +
        '"rowtrail_operation" text, "rowtrail_record_key" jsonb, "rowtrail_old_record_key" jsonb, "rowtrail_context_id" uuid, "rowtrail_txid" bigint, ' +
        '"rowtrail_changes" jsonb, "id" integer, "status" text, "doc" json, "updated_at" timestamptz)',
    );
    const tableDdl = ddl.statements.filter((st) => /^(CREATE TABLE|ALTER TABLE)/.test(st)).join('\n');
    expect(tableDdl).not.toMatch(/PRIMARY KEY|UNIQUE|DEFAULT|IDENTITY|NOT NULL|CHECK|REFERENCES/);
  });

  it('never mentions an excluded column', () => {
    expect(sql).not.toContain('"token"');
  });

  it('uses statement-level triggers with transition tables and a row trigger only for key changes', () => {
    expect(sql).toContain('AFTER UPDATE ON "public"."order" REFERENCING OLD TABLE AS rowtrail_old NEW TABLE AS rowtrail_new FOR EACH STATEMENT');
    expect(sql).toContain('AFTER UPDATE ON "public"."order" FOR EACH ROW WHEN (OLD."id" IS DISTINCT FROM NEW."id")');
  });

  it('compares tracked columns only (ignoreChanges left out), json as text', () => {
    expect(sql).toContain('ROW(o."id", o."status", o."doc"::text) IS DISTINCT FROM ROW(n."id", n."status", n."doc"::text)');
  });

  it('writes one history row per change, diff included, and nothing to rowtrail.diff', () => {
    expect(sql).not.toMatch(/"rowtrail"\.diff\b/);
    expect(sql.match(/INSERT INTO "rowtrail"\."order_history" \([^)]*rowtrail_changes/g)?.length).toBe(6); // insert, delete, key change, update ×3
    expect(sql).toContain(`CASE WHEN o."status" IS DISTINCT FROM n."status" THEN jsonb_build_object('status'::text, jsonb_build_array(o."status", n."status")) ELSE '{}'::jsonb END`);
  });

  it('pairs a single-row update without a join, and plans the bulk join with nested loops and JIT off', () => {
    const update = ddl.statements.find((st) => st.includes('"order_history_update"()'))!;
    expect(update).not.toMatch(/ SET (enable_nestloop|jit)/); // no per-call settings: single-row updates pay none
    expect(update).toContain('FROM rowtrail_old o, rowtrail_new n');
    expect(update).toContain(`set_config('enable_nestloop', 'off', true)`);
    expect(update).toContain(`set_config('enable_nestloop', rowtrail_nestloop, true)`);
    expect(update.match(/FROM rowtrail_old o JOIN rowtrail_new n ON o\."id" = n\."id"/g)?.length).toBe(2);
    for (const suffix of ['insert', 'delete']) {
      expect(ddl.statements.find((st) => st.includes(`"order_history_${suffix}"()`))).toContain('LANGUAGE plpgsql SET jit = off');
    }
  });

  it('indexes history by event, by record key, by context and by time', () => {
    expect(sql).toContain('CREATE INDEX IF NOT EXISTS "order_history_event_idx" ON "rowtrail"."order_history" (rowtrail_event_id)');
    expect(sql).toMatch(/CREATE INDEX IF NOT EXISTS "order_history_key_[0-9a-f]{10}" ON "rowtrail"\."order_history" \("id", rowtrail_event_id\)/);
    expect(sql).toContain('CREATE INDEX IF NOT EXISTS "order_history_context_idx" ON "rowtrail"."order_history" (rowtrail_context_id, rowtrail_event_id)');
    expect(sql).toContain('CREATE INDEX IF NOT EXISTS "order_history_created_at_idx" ON "rowtrail"."order_history" USING brin (rowtrail_created_at)');
  });

  it('changes its hash when the definition changes, and only then', () => {
    expect(buildCaptureDdl(spec, options).hash).toBe(ddl.hash);
    expect(buildCaptureDdl({ ...spec, ignoreChanges: [] }, options).hash).not.toBe(ddl.hash);
  });

  it('honours the schema and naming convention', () => {
    const custom = buildCaptureDdl(spec, resolveSchemaOptions({ schema: 'audit', snapshotTableName: ({ table }) => `hist_${table}` }));
    expect(custom.snapshotTable).toBe('hist_order');
    expect(custom.statements[0]).toContain('"audit"."hist_order"');
    expect(custom.statements.join('\n')).toContain(`nextval('"audit".event_id_seq'::regclass)`);
  });

  it('refuses specs it cannot capture, naming the table and column', () => {
    expect(() => buildCaptureDdl({ ...spec, primaryKey: [] }, options)).toThrow(/public\.order has no primary key/);
    expect(() => buildCaptureDdl({ ...spec, exclude: ['id'] }, options)).toThrow(/primary-key column "id" cannot be excluded/);
    expect(() => buildCaptureDdl({ ...spec, ignoreChanges: ['nope'] }, options)).toThrow(/unknown column "nope"/);
    expect(() => buildCaptureDdl({ ...spec, columns: [...spec.columns, { name: 'rowtrail_x', type: 'text' }] }, options)).toThrow(/reserved/);
  });

  it('builds wide tables in chunks (jsonb_build_object takes at most 100 arguments)', () => {
    const columns = Array.from({ length: 120 }, (_, i) => ({ name: `c${i}`, type: 'integer' }));
    const wide = buildCaptureDdl({ ...spec, columns: [{ name: 'id', type: 'integer' }, ...columns], exclude: [], ignoreChanges: [] }, options);
    const text = wide.statements.join('\n');
    const argumentCounts: number[] = [];
    for (let at = text.indexOf('jsonb_build_object('); at >= 0; at = text.indexOf('jsonb_build_object(', at + 1)) {
      let depth = 0;
      let commas = 0;
      for (let i = at + 'jsonb_build_object'.length; i < text.length; i++) {
        if (text[i] === '(') depth++;
        else if (text[i] === ')' && --depth === 0) break;
        else if (text[i] === ',' && depth === 1) commas++;
      }
      argumentCounts.push(commas + 1);
    }
    expect(Math.max(...argumentCounts)).toBeLessThanOrEqual(100);
    expect(argumentCounts.filter((n) => n === 100).length).toBeGreaterThan(0);
  });

  it('drops exactly the capture triggers', () => {
    expect(buildDropCaptureDdl(spec)).toEqual([
      'DROP TRIGGER IF EXISTS "rowtrail_capture_insert" ON "public"."order"',
      'DROP TRIGGER IF EXISTS "rowtrail_capture_update" ON "public"."order"',
      'DROP TRIGGER IF EXISTS "rowtrail_capture_delete" ON "public"."order"',
      'DROP TRIGGER IF EXISTS "rowtrail_capture_key_change" ON "public"."order"',
    ]);
  });
});

describe('identifierName', () => {
  it('keeps short names and shortens long ones to 63 bytes with a stable hash', () => {
    expect(identifierName('a', 'b')).toBe('a_b');
    const long = identifierName('x'.repeat(80), 'insert');
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(63);
    expect(identifierName('x'.repeat(80), 'insert')).toBe(long);
    expect(identifierName('x'.repeat(80), 'update')).not.toBe(long);
  });
});
