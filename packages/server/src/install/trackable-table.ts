import type pg from 'pg';
import { qualified } from '../ddl/quote.js';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';

/**
 * Refuses tables whose changes the capture triggers could not all see, before anything is
 * installed. Partitioned tables: statement-level triggers fire only for statements on the
 * parent (not for writes sent to a partition), and an update that moves a row to another
 * partition runs as a delete and an insert, so the key-change trigger never sees it and a
 * multi-row update could not pair the moved row: history would silently miss changes.
 * Tables in an inheritance hierarchy (INHERITS), for the same first reason: a statement on a
 * parent also changes its children's rows, but fires only the parent's triggers.
 */
export async function assertTrackableTable(client: pg.ClientBase, spec: Pick<TrackedTableSpec, 'schema' | 'table'>): Promise<void> {
  const { rows } = await client.query<{ relkind: string; parent: string | null; inherits: string | null; inherited_by: string | null }>(
    `SELECT c.relkind,
       (SELECT i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = c.oid AND c.relispartition) AS parent,
       (SELECT string_agg(i.inhparent::regclass::text, ', ' ORDER BY i.inhseqno) FROM pg_inherits i WHERE i.inhrelid = c.oid AND NOT c.relispartition) AS inherits,
       (SELECT string_agg(i.inhrelid::regclass::text, ', ' ORDER BY i.inhrelid::regclass::text) FROM pg_inherits i WHERE i.inhparent = c.oid AND c.relkind = 'r') AS inherited_by
     FROM pg_class c WHERE c.oid = to_regclass($1)`,
    [qualified(spec.schema, spec.table)],
  );
  const table = `${spec.schema}.${spec.table}`;
  if (rows.length === 0) throw new Error(`Rowtrail: cannot track table ${table}: it does not exist`);
  const { relkind, parent, inherits, inherited_by: inheritedBy } = rows[0];
  if (relkind === 'p') {
    throw new Error(`Rowtrail: cannot track table ${table}: it is a partitioned table, and Rowtrail's triggers would miss writes sent to its partitions and updates that move rows between partitions. Track a regular table.`);
  }
  if (parent) {
    throw new Error(`Rowtrail: cannot track table ${table}: it is a partition of ${parent}, and updates that move rows out of it would be lost from its history. Track a regular table.`);
  }
  if (inherits || inheritedBy) {
    const relation = inherits ? `it inherits from ${inherits}` : `${inheritedBy} inherit${inheritedBy?.includes(', ') ? '' : 's'} from it`;
    throw new Error(`Rowtrail: cannot track table ${table}: ${relation}, and a statement on a parent table also changes its children's rows but fires only the parent's triggers, so history would miss changes. Track tables outside an inheritance hierarchy.`);
  }
  if (relkind !== 'r') throw new Error(`Rowtrail: cannot track ${table}: it is not a table (relkind '${relkind}')`);
}
