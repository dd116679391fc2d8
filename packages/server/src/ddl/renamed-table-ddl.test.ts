import { describe, expect, it } from 'vitest';
import { renamedTableDdl } from './renamed-table-ddl.js';

const renamed = { from: 'public.invoice', to: 'public.bill', fromHistory: 'invoice_history', toHistory: 'bill_history', primaryKey: ['id'] };

describe('renamedTableDdl (pure)', () => {
  it('moves the registry row and the history table with its indexes in one guarded block, and undoes it the other way', () => {
    const ddl = renamedTableDdl('rowtrail', renamed);
    expect(ddl.adopt).toHaveLength(1);
    const [adopt] = ddl.adopt;
    expect(adopt).toContain(`IF EXISTS (SELECT FROM "rowtrail".tracked_table WHERE table_name = 'public.invoice') AND NOT EXISTS (SELECT FROM "rowtrail".tracked_table WHERE table_name = 'public.bill') THEN`);
    expect(adopt).toContain(`UPDATE "rowtrail".tracked_table SET table_name = 'public.bill', snapshot_table = 'bill_history' WHERE table_name = 'public.invoice';`);
    expect(adopt).toContain('ALTER TABLE "rowtrail"."invoice_history" RENAME TO "bill_history";');
    expect(adopt).toContain('ALTER INDEX IF EXISTS "rowtrail"."invoice_history_context_idx" RENAME TO "bill_history_context_idx";');
    expect(adopt.match(/ALTER INDEX IF EXISTS/g)).toHaveLength(6);
    expect(ddl.undo[0]).toContain('ALTER TABLE "rowtrail"."bill_history" RENAME TO "invoice_history";');
    expect(ddl.dropOldFunctions).toEqual(['insert', 'update', 'delete', 'key_change', 'truncate'].map((f) => `DROP FUNCTION IF EXISTS "rowtrail"."invoice_history_${f}"()`));
  });

  it('renames no history table and drops no function when the history keeps its name', () => {
    const ddl = renamedTableDdl('rowtrail', { ...renamed, fromHistory: 'ledger', toHistory: 'ledger' });
    expect(ddl.adopt[0]).not.toMatch(/ALTER (TABLE|INDEX)/);
    expect(ddl.dropOldFunctions).toEqual([]);
  });

  it('quotes names that need it, and a dollar quote in a name cannot end the block', () => {
    const ddl = renamedTableDdl('audit trail', { ...renamed, to: `public.bill$rowtrail_rename$'x`, toHistory: 'Bill History' });
    expect(ddl.adopt[0]).toContain(`table_name = 'public.bill$rowtrail_rename$''x'`);
    expect(ddl.adopt[0]).toMatch(/^DO \$rowtrail_rename_1\$/);
    expect(ddl.adopt[0]).toContain('ALTER TABLE "audit trail"."invoice_history" RENAME TO "Bill History";');
  });
});
