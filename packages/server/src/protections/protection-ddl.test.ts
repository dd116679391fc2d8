import { describe, expect, it } from 'vitest';
import { buildHistoryAppendOnlyDdl } from './history-append-only-ddl.js';
import { buildProtectionDdl } from './protection-ddl.js';
import type { ProtectedTableSpec } from './protection-spec.js';

const table = (protections: ProtectedTableSpec['protections']): ProtectedTableSpec => ({ schema: 'public', table: 'post', primaryKey: ['id'], protections });

describe('buildProtectionDdl', () => {
  it('protects row operations with a row trigger and truncate with a statement trigger', () => {
    const [group] = buildProtectionDdl(table([{ kind: 'protect', name: 'frozen', operations: ['update', 'delete', 'truncate'] }]), 'rowtrail');
    expect(group.triggers).toEqual(['rowtrail_protect_frozen', 'rowtrail_protect_frozen_truncate']);
    expect(group.statements.join('\n')).toContain(`BEFORE UPDATE OR DELETE ON "public"."post" FOR EACH ROW EXECUTE FUNCTION "rowtrail".protect('frozen', 'protect')`);
    expect(group.statements.join('\n')).toContain('BEFORE TRUNCATE ON "public"."post" FOR EACH STATEMENT');
    expect(group.statements.at(-1)).toBe(`COMMENT ON TRIGGER "rowtrail_protect_frozen_truncate" ON "public"."post" IS 'rowtrail:${group.hash}'`);
  });

  it('watches read-only fields in the WHEN clause and passes them to the function', () => {
    const [group] = buildProtectionDdl(table([{ kind: 'read_only', name: 'ro', fields: ['created_at', 'kind'] }]), 'rowtrail');
    const create = group.statements.find((x) => x.startsWith('CREATE TRIGGER'));
    expect(create).toContain(`WHEN (OLD."created_at" IS DISTINCT FROM NEW."created_at" OR OLD."kind" IS DISTINCT FROM NEW."kind")`);
    // the function names the changed fields with the WHEN's own comparison, over $1 (OLD) and $2 (NEW)
    expect(create).toContain(`"rowtrail".refuse_read_only_change('ro', 'created_at', '($1)."created_at" IS DISTINCT FROM ($2)."created_at"', 'kind', '($1)."kind" IS DISTINCT FROM ($2)."kind"')`);
  });

  it('compares rows inside the versioned increment, so its trigger has no WHEN (which may not reference generated columns)', () => {
    const [group] = buildProtectionDdl(table([{ kind: 'versioned', name: 'v', field: 'version' }]), 'rowtrail');
    const statements = group.statements.join('\n');
    expect(statements).toMatch(/CREATE TRIGGER "rowtrail_protect_v_bump" BEFORE UPDATE ON "public"\."post" FOR EACH ROW EXECUTE FUNCTION/);
    expect(statements).not.toContain('to_jsonb(NEW))');
    expect(statements).toContain(`a.attgenerated <> ''`);
  });

  it('checks for ON DELETE CASCADE foreign keys before creating a soft delete', () => {
    const [group] = buildProtectionDdl(table([{ kind: 'soft_delete', name: 'sd', field: 'active', value: false }]), 'rowtrail');
    // (the first DO is the refusal of another installation's triggers: protection-installations.test.ts)
    const check = group.statements.findIndex((x) => x.startsWith('DO ') && x.includes('confdeltype'));
    expect(check).toBeLessThan(group.statements.findIndex((x) => x.startsWith('CREATE')));
    expect(group.statements[check]).toMatch(/^DO \$rowtrail\$[\s\S]*c\.conrelid = '"public"\."post"'::regclass AND c\.contype = 'f' AND c\.confdeltype = 'c'/);
  });

  it('orders the versioned guard before its increment and lists allowed FSM transitions', () => {
    const [versioned, fsm] = buildProtectionDdl(table([
      { kind: 'versioned', name: 'v', field: 'version' },
      { kind: 'fsm', name: 'status_fsm', field: 'status', transitions: [['draft', 'published']] },
    ]), 'rowtrail');
    expect([...versioned.triggers].sort()).toEqual(versioned.triggers);
    expect(versioned.functions).toEqual([expect.stringMatching(/^"rowtrail"\."post_v_bump_[0-9a-f]{10}"\(\)$/)]);
    expect(fsm.statements.join('\n')).toContain(`= ANY (ARRAY['["draft","published"]'::jsonb])`);
  });

  it('changes the hash when the definition changes, and only then', () => {
    const a = buildProtectionDdl(table([{ kind: 'soft_delete', name: 'sd', field: 'active', value: false }]), 'rowtrail')[0];
    const b = buildProtectionDdl(table([{ kind: 'soft_delete', name: 'sd', field: 'active', value: false }]), 'rowtrail')[0];
    const c = buildProtectionDdl(table([{ kind: 'soft_delete', name: 'sd', field: 'active', value: 'deleted' }]), 'rowtrail')[0];
    expect(a.hash).toBe(b.hash);
    expect(c.hash).not.toBe(a.hash);
    // a string is read when each DELETE runs ('now' would otherwise keep the time the plan was cached)
    expect(c.statements.join('\n')).toContain(`OLD."active" := 'deleted'::text;\n  UPDATE ONLY "public"."post" SET "active" = OLD."active" WHERE "id" = OLD."id"`);
    expect(a.statements.join('\n')).toContain(`UPDATE ONLY "public"."post" SET "active" = FALSE WHERE "id" = OLD."id"`);
  });

  it('types the soft delete value and the versioned increment at install, before creating anything', () => {
    const [softDelete, version] = buildProtectionDdl(table([
      { kind: 'soft_delete', name: 'sd', field: 'deleted_at', value: 'now' },
      { kind: 'versioned', name: 'v', field: 'version' },
    ]), 'rowtrail');
    const check = softDelete.statements.find((x) => x.startsWith('DO ') && x.includes('EXPLAIN'));
    expect(check).toContain(`EXECUTE 'EXPLAIN (COSTS OFF) UPDATE ONLY "public"."post" SET "deleted_at" = ''now'' WHERE false';`);
    const versionCheck = version.statements.findIndex((x) => x.startsWith('DO ') && x.includes('EXPLAIN'));
    expect(versionCheck).toBeLessThan(version.statements.findIndex((x) => x.startsWith('CREATE')));
    expect(version.statements[versionCheck]).toContain(`EXECUTE 'EXPLAIN (COSTS OFF) UPDATE ONLY "public"."post" SET "version" = coalesce("version", 0) OPERATOR(pg_catalog.+) 1 WHERE false';`);
    // a soft delete that marks a primary-key column keeps OLD's key for its WHERE, and the value as a literal
    const [key] = buildProtectionDdl({ ...table([{ kind: 'soft_delete', name: 'sd', field: 'id', value: '-1' }]) }, 'rowtrail');
    expect(key.statements.join('\n')).toContain(`UPDATE ONLY "public"."post" SET "id" = '-1' WHERE "id" = OLD."id"`);
  });

  it('refuses specs that cannot work', () => {
    expect(() => buildProtectionDdl(table([{ kind: 'protect', name: 'x', operations: ['truncate'], condition: 'OLD.a > 1' }]), 'rowtrail')).toThrow(/TRUNCATE/);
    expect(() => buildProtectionDdl(table([{ kind: 'read_only', name: 'x', fields: [] }, { kind: 'read_only', name: 'x', fields: ['a'] }]), 'rowtrail')).toThrow(/names no field/);
    expect(() => buildProtectionDdl(table([{ kind: 'protect', name: 'bad name', operations: ['delete'] }]), 'rowtrail')).toThrow(/plain identifier/);
    // a misspelt operation reached CREATE TRIGGER as a syntax error
    expect(() => buildProtectionDdl(table([{ kind: 'protect', name: 'frozen', operations: ['updat' as never, 'delete'] }]), 'rowtrail'))
      .toThrow('Rowtrail: protection "frozen" on public.post: "updat" is not an operation (those are insert, update, delete, truncate)');
    expect(() => buildProtectionDdl(table([{ kind: 'trigger', name: 'audit', when: 'around' as never, operations: ['insert'], func: 'f' } as never]), 'rowtrail'))
      .toThrow(`Rowtrail: protection "audit" on public.post: when must be 'before' or 'after', got "around"`);
    // PostgreSQL refused it at install: "TRUNCATE FOR EACH ROW triggers are not supported"
    expect(() => buildProtectionDdl(table([{ kind: 'trigger', name: 'wipe', when: 'after', operations: ['truncate'], func: 'RETURN NULL;' }]), 'rowtrail'))
      .toThrow(`Rowtrail: protection "wipe" on public.post: a row-level trigger cannot fire on TRUNCATE (it has no rows); declare it with level 'statement', or trigger on truncate separately`);
    expect(buildProtectionDdl(table([{ kind: 'trigger', name: 'wipe', when: 'after', operations: ['truncate'], level: 'statement', func: 'RETURN NULL;' }]), 'rowtrail')).toHaveLength(1);
    expect(() => buildProtectionDdl(table([{ kind: 'readOnly', name: 'frozen', fields: ['title'] } as never]), 'rowtrail'))
      .toThrow('Rowtrail: protection "frozen" on public.post: "readOnly" is not a kind of protection (those are protect, read_only, soft_delete, versioned, fsm, trigger)');
    // a misspelt level is named as such, not taken for a row-level one
    expect(() => buildProtectionDdl(table([{ kind: 'trigger', name: 'wipe', when: 'after', operations: ['truncate'], level: 'Statement' as never, func: 'RETURN NULL;' }]), 'rowtrail'))
      .toThrow(`Rowtrail: protection "wipe" on public.post: level must be 'row' or 'statement', got "Statement"`);
  });
});

describe('buildHistoryAppendOnlyDdl', () => {
  it('guards UPDATE, DELETE and TRUNCATE at statement level', () => {
    const group = buildHistoryAppendOnlyDdl('rowtrail', 'post_history');
    expect(group.statements[1]).toBe(`CREATE TRIGGER "rowtrail_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "rowtrail"."post_history" FOR EACH STATEMENT EXECUTE FUNCTION "rowtrail".refuse_history_change()`);
  });
});
