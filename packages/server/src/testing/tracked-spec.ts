import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import type { ProtectedTableSpec, ProtectionSpec } from '../protections/protection-spec.js';

/** The spec of a test table `public.<table> (id integer PRIMARY KEY, v <valueType>)`, label "snapshot" unless overridden. */
export function idValueSpec(table: string, valueType = 'text', overrides: Partial<TrackedTableSpec> = {}): TrackedTableSpec {
  return {
    schema: 'public', table, primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
    columns: [{ name: 'id', type: 'integer' }, { name: 'v', type: valueType }],
    ...overrides,
  };
}

/** The protections of a test table `public.<table>` with primary key `id`, as install's `protections` option takes them. */
export function protectedTable(table: string, ...protections: ProtectionSpec[]): ProtectedTableSpec[] {
  return [{ schema: 'public', table, primaryKey: ['id'], protections }];
}
