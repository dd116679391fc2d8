import { buildCaptureDdl, CAPTURE_TRIGGER_NAMES } from '../ddl/capture-ddl.js';
import type { RowtrailSchemaOptions, TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { buildHistoryAppendOnlyDdl } from '../protections/history-append-only-ddl.js';
import { buildProtectionsDdl } from '../protections/protection-ddl.js';
import type { ProtectedTableSpec } from '../protections/protection-spec.js';
import type { TriggerGroupDdl } from '../protections/trigger-group.js';

/** Everything Rowtrail should have in a database for these specs, built without a connection. */
export interface ExpectedObjects {
  tracked: Array<{ spec: TrackedTableSpec; snapshotTable: string; captureHash: string; captureStatements: string[]; appendOnly: TriggerGroupDdl }>;
  protections: TriggerGroupDdl[];
}

export function expectedObjects(tracked: TrackedTableSpec[], protections: ProtectedTableSpec[], options: RowtrailSchemaOptions): ExpectedObjects {
  return {
    tracked: tracked.map((spec) => {
      const ddl = buildCaptureDdl(spec, options);
      return {
        spec, snapshotTable: ddl.snapshotTable, captureHash: ddl.hash, captureStatements: ddl.statements,
        appendOnly: buildHistoryAppendOnlyDdl(options.schema, ddl.snapshotTable),
      };
    }),
    protections: buildProtectionsDdl(protections, options.schema),
  };
}

/** "schema.table/trigger" keys of every trigger the specs expect. */
export function expectedTriggerKeys(expected: ExpectedObjects, options: RowtrailSchemaOptions): Set<string> {
  const keys = new Set<string>();
  for (const t of expected.tracked) {
    for (const name of Object.values(CAPTURE_TRIGGER_NAMES)) keys.add(`${t.spec.schema}.${t.spec.table}/${name}`);
    for (const name of t.appendOnly.triggers) keys.add(`${options.schema}.${t.snapshotTable}/${name}`);
  }
  for (const g of expected.protections) for (const name of g.triggers) keys.add(`${g.schema}.${g.table}/${name}`);
  return keys;
}
