import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';

/** The spec of a test table `public.<table> (id integer PRIMARY KEY, v <valueType>)`, label "snapshot" unless overridden. */
export function idValueSpec(table: string, valueType = 'text', overrides: Partial<TrackedTableSpec> = {}): TrackedTableSpec {
  return {
    schema: 'public', table, primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
    columns: [{ name: 'id', type: 'integer' }, { name: 'v', type: valueType }],
    ...overrides,
  };
}
