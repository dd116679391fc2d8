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
    expect(ddl.statements[0]).toBe('DO $rowtrail$ BEGIN LOCK TABLE ONLY "public"."order" IN ACCESS EXCLUSIVE MODE; END $rowtrail$');
    expect(ddl.statements[1]).toBe(
      'CREATE TABLE IF NOT EXISTS "rowtrail"."order_history" ("rowtrail_event_id" bigint, "rowtrail_created_at" timestamptz, "rowtrail_label" text, ' +
        '"rowtrail_operation" text, "rowtrail_record_key" jsonb, "rowtrail_old_record_key" jsonb, "rowtrail_context_id" uuid, "rowtrail_txid" bigint, ' +
        '"rowtrail_changes" jsonb, "rowtrail_key_change_statement" bigint, "id" integer, "status" text, "doc" json, "updated_at" timestamptz)',
    );
    const tableDdl = ddl.statements.filter((st) => /^(CREATE TABLE|ALTER TABLE)/.test(st)).join('\n');
    expect(tableDdl).not.toMatch(/PRIMARY KEY|UNIQUE|DEFAULT|IDENTITY|NOT NULL|CHECK|REFERENCES/);
  });

  it('turns only json values into jsonb through json_as_jsonb, and only those with a \\u escape', () => {
    // the doc column of inserted, deleted and truncated rows (r.), and both sides of each update path (o./n., OLD./NEW.)
    const calls = sql.match(/"rowtrail"\.json_as_jsonb\(([^)]*)\)/g)!.map((call) => call.slice('"rowtrail".json_as_jsonb('.length, -1));
    expect(new Set(calls)).toEqual(new Set(['r."doc"', 'o."doc"', 'n."doc"', 'OLD."doc"', 'NEW."doc"']));
    expect(calls.filter((c) => c.startsWith('o.'))).toHaveLength(calls.filter((c) => c.startsWith('n.')).length);
    expect(sql).toContain(`CASE WHEN strpos(n."doc"::text, E'\\\\u') = 0 THEN n."doc"::jsonb ELSE "rowtrail".json_as_jsonb(n."doc") END`);
    const arrays = buildCaptureDdl({ ...spec, columns: [...spec.columns, { name: 'docs', type: 'json[]' }] }, options).statements.join(';\n');
    expect(arrays).toContain(`"rowtrail".json_as_jsonb(pg_catalog.to_json(n."docs"))`);
    const withoutJson = buildCaptureDdl({ ...spec, columns: spec.columns.map((c) => (c.name === 'doc' ? { ...c, type: 'jsonb' } : c)) }, options).statements.join(';\n');
    expect(withoutJson).not.toMatch(/json_as_jsonb|strpos\([a-zA-Z]+\."doc"/);
  });

  it('never mentions an excluded column', () => {
    expect(sql).not.toContain('"token"');
  });

  it('uses statement-level triggers with transition tables and a row trigger only for key changes', () => {
    expect(sql).toContain('AFTER UPDATE ON "public"."order" REFERENCING OLD TABLE AS rowtrail_old NEW TABLE AS rowtrail_new FOR EACH STATEMENT');
    expect(sql).toContain('AFTER UPDATE ON "public"."order" FOR EACH ROW WHEN (OLD."id" IS DISTINCT FROM NEW."id")');
  });

  it('compares tracked columns only (ignoreChanges left out), json as text, text byte for byte', () => {
    expect(sql).toContain('ROW(o."id", o."status"::text COLLATE "C", o."doc"::text COLLATE "C") IS DISTINCT FROM ROW(n."id", n."status"::text COLLATE "C", n."doc"::text COLLATE "C")');
    const compared = (type: string) => buildCaptureDdl({ ...spec, columns: [spec.columns[0], { name: 'v', type }], exclude: [], ignoreChanges: [] }, options).statements.join('\n');
    expect(compared('citext')).toContain('o."v"::text COLLATE "C" IS DISTINCT FROM n."v"::text COLLATE "C"');
    expect(compared('ext.citext')).toContain('o."v"::text COLLATE "C"');
    expect(compared('character varying(20)[]')).toContain('o."v"::text[] COLLATE "C"');
    expect(compared('integer')).toContain('ROW(o."id", o."v") IS DISTINCT FROM ROW(n."id", n."v")');
    expect(compared('timestamp(3) with time zone')).toContain('ROW(o."id", o."v") IS DISTINCT FROM');
    expect(compared('hstore')).toContain('o."v"::text COLLATE "C"'); // its "=" is not in pg_catalog
    expect(compared('interval_list')).toContain('o."v"::text COLLATE "C"'); // a type whose name starts like a built-in one
    expect(compared('text.mood')).toContain('o."v"::text COLLATE "C"');
  });

  it('writes one history row per change, diff included, and nothing to rowtrail.diff', () => {
    expect(sql).not.toMatch(/"rowtrail"\.diff\b/);
    // insert, delete, key change, update ×5 (single row, single row after key changes, by position, by key after key changes, by key), truncate
    expect(sql.match(/INSERT INTO "rowtrail"\."order_history" \([^)]*rowtrail_changes/g)?.length).toBe(9);
    expect(sql).toContain(`CASE WHEN o."status"::text COLLATE "C" IS DISTINCT FROM n."status"::text COLLATE "C" THEN pg_catalog.jsonb_build_object('status'::text, pg_catalog.jsonb_build_array(o."status", n."status")) ELSE '{}'::jsonb END`);
  });

  it('records the rows a TRUNCATE removes as DELETEs, from a BEFORE trigger, refused outside READ COMMITTED', () => {
    const truncate = ddl.statements.find((st) => st.includes('"order_history_truncate"()'))!;
    expect(truncate).toContain('LANGUAGE plpgsql SET jit = off');
    expect(truncate).toContain(`'DELETE'::text`);
    expect(truncate).toContain('FROM ONLY "public"."order" r');
    expect(truncate).toContain(`IF current_setting('transaction_isolation') IN ('repeatable read', 'serializable') THEN`);
    expect(truncate).toContain(`IF row_security_active('"public"."order"'::regclass) THEN`);
    expect(ddl.statements).toContain('CREATE TRIGGER "rowtrail_truncate_capture" BEFORE TRUNCATE ON "public"."order" FOR EACH STATEMENT EXECUTE FUNCTION "rowtrail"."order_history_truncate"()');
  });

  it('pairs a single-row update without a join, and plans the bulk join with nested loops and JIT off', () => {
    const update = ddl.statements.find((st) => st.includes('"order_history_update"()'))!;
    expect(update).not.toMatch(/ SET (enable_nestloop|jit)/); // no per-call settings: single-row updates pay none
    expect(update).toContain('FROM rowtrail_old o, rowtrail_new n');
    expect(update).toContain(`set_config('enable_nestloop', 'off', true)`);
    expect(update).toContain(`set_config('enable_nestloop', rowtrail_nestloop, true)`);
    expect(update.match(/FROM rowtrail_old o JOIN rowtrail_new n ON o\."id" = n\."id"/g)?.length).toBe(4); // the inserts by key, and their checks after key changes
    for (const suffix of ['insert', 'delete']) {
      expect(ddl.statements.find((st) => st.includes(`"order_history_${suffix}"()`))).toContain('LANGUAGE plpgsql SET jit = off');
    }
  });

  it('looks for a change recorded after its row\'s key change only in transactions that changed a key of the table', () => {
    const update = ddl.statements.find((st) => st.includes('"order_history_update"()'))!;
    const keyChange = ddl.statements.find((st) => st.includes('"order_history_key_change"()'))!;
    const setting = /current_setting\('(rowtrail\.keys_changed_[0-9a-f]{10})', true\)/.exec(update)![1];
    const statementSetting = /'(rowtrail\.key_change_[0-9a-f]{10}_)' \|\| pg_catalog\.pg_trigger_depth\(\)::text/.exec(update)![1];
    // the key-change trigger says so until the transaction ends, with its statement's own setting (one expression)
    expect(keyChange).toContain(`rowtrail_void := set_config('${setting}', set_config(rowtrail_key_change_setting, rowtrail_event::text, true), true) IS NULL;`);
    // a statement reads that setting first; its own setting (per trigger depth), only when it is set, after the single-row path
    expect(update).toContain(`rowtrail_key_change_from bigint := nullif(current_setting('${setting}', true), '')::bigint;`);
    expect(update).toContain(`rowtrail_key_change_from := coalesce(nullif(current_setting('${statementSetting}' || pg_catalog.pg_trigger_depth()::text, true), ''), '0')::bigint;`);
    expect(update.indexOf(`current_setting('${statementSetting}'`)).toBeGreaterThan(update.indexOf('IF rowtrail_rows = 1 AND rowtrail_key_change_from IS NULL THEN'));
    const singleRow = /IF rowtrail_rows = 1 AND rowtrail_key_change_from IS NULL THEN([\s\S]*?)END IF;\s+RETURN NULL;\s+END IF;/.exec(update)![1];
    expect(singleRow).not.toMatch(/order_history" [ah]\b|EXISTS|current_setting/);
    // every other path checks, through the index of old keys, in this transaction's history
    expect(update.match(/SELECT pg_catalog\.jsonb_build_object\('id', n\."id"\)::text INTO rowtrail_left_key/g)).toHaveLength(4);
    expect(update).toContain(`WHERE h.rowtrail_old_record_key = pg_catalog.jsonb_build_object('id', n."id") AND h.rowtrail_txid = txid_current()`);
    expect(update).toContain(`RAISE EXCEPTION 'Rowtrail: update of tracked table % refused: the same statement changed the row at key % and then moved it to another key`);
    expect(update).toContain(`USING ERRCODE = 'feature_not_supported', HINT = 'Run the update and the statement that changes the key as separate statements, the update first.';`);
  });

  it('indexes history by event, by record key, by context, and by time and transaction', () => {
    expect(sql).toContain('CREATE INDEX IF NOT EXISTS "order_history_event_idx" ON "rowtrail"."order_history" (rowtrail_event_id)');
    expect(sql).toMatch(/CREATE INDEX IF NOT EXISTS "order_history_key_[0-9a-f]{10}" ON "rowtrail"\."order_history" \("id", rowtrail_event_id\)/);
    expect(sql).toContain('CREATE INDEX IF NOT EXISTS "order_history_context_idx" ON "rowtrail"."order_history" (rowtrail_context_id, rowtrail_event_id)');
    expect(sql).toContain('CREATE INDEX IF NOT EXISTS "order_history_created_at_txid_idx" ON "rowtrail"."order_history" USING brin (rowtrail_created_at, rowtrail_txid)');
    // the time-only index of earlier versions goes, after its replacement exists
    expect(sql.indexOf('DROP INDEX IF EXISTS "rowtrail"."order_history_created_at_idx"')).toBeGreaterThan(sql.indexOf('order_history_created_at_txid_idx'));
  });

  it('changes its hash when the definition changes, and only then', () => {
    expect(buildCaptureDdl(spec, options).hash).toBe(ddl.hash);
    expect(buildCaptureDdl({ ...spec, ignoreChanges: [] }, options).hash).not.toBe(ddl.hash);
  });

  it('honours the schema and naming convention', () => {
    const custom = buildCaptureDdl(spec, resolveSchemaOptions({ schema: 'audit', snapshotTableName: ({ table }) => `hist_${table}` }));
    expect(custom.snapshotTable).toBe('hist_order');
    expect(custom.statements[1]).toContain('"audit"."hist_order"');
    expect(custom.statements.join('\n')).toContain(`nextval('"audit".event_id_seq'::regclass)`);
  });

  it('shortens history table names PostgreSQL would cut, so two long table names never share one', () => {
    const long = (year: number) => ({ ...spec, schema: 'warehouse_ops', table: `stock_adjustment_requests_awaiting_regional_approval_${year}` });
    const names = [2024, 2025].map((year) => buildCaptureDdl(long(year), options).snapshotTable);
    expect(names[0]).not.toBe(names[1]);
    for (const name of names) {
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
      expect(name).toMatch(/^warehouse_ops_stock_adjustment_requests_awaiting_\w+_[0-9a-f]{10}$/);
    }
    expect(options.snapshotTableName(long(2024))).toBe(names[0]); // the installer, drift check and status use the same name
    expect(buildCaptureDdl(spec, options).snapshotTable).toBe('order_history'); // short names unchanged
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

  it('drops exactly the capture triggers, also under their earlier names', () => {
    expect(buildDropCaptureDdl(spec)).toEqual([
      'DROP TRIGGER IF EXISTS "rowtrail_capture_insert" ON "public"."order"',
      'DROP TRIGGER IF EXISTS "rowtrail_capture_update" ON "public"."order"',
      'DROP TRIGGER IF EXISTS "rowtrail_capture_delete" ON "public"."order"',
      'DROP TRIGGER IF EXISTS "rowtrail_capture_key_change" ON "public"."order"',
      'DROP TRIGGER IF EXISTS "rowtrail_truncate_capture" ON "public"."order"',
      'DROP TRIGGER IF EXISTS "rowtrail_capture_truncate" ON "public"."order"', // its name before it fired after the protections
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
