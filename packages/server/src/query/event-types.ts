/** Shapes returned by the query API and the HTTP API (see docs/http-api.md). */
export type Operation = 'INSERT' | 'UPDATE' | 'DELETE';
export const OPERATIONS: readonly Operation[] = ['INSERT', 'UPDATE', 'DELETE'];

export interface EventContext {
  id: string;
  user: string | number | null;
  requestId: string | null;
  method: string | null;
  url: string | null;
  /** The whole metadata object. */
  metadata: Record<string, unknown>;
  dbUser: string;
  applicationName: string | null;
  createdAt: string;
}

export interface DiffEvent {
  /** Bigint, as a string. */
  eventId: string;
  /** "schema.table" of the source table. */
  table: string;
  recordKey: Record<string, unknown>;
  oldRecordKey: Record<string, unknown> | null;
  operation: Operation;
  /** UPDATE: {column: [old, new]}; INSERT/DELETE: {column: value}. */
  changes: Record<string, unknown>;
  label: string | null;
  /** Bigint, as a string. */
  txid: string;
  /** ISO 8601, UTC, microsecond precision. */
  createdAt: string;
  context: EventContext | null;
}

export interface HistoryEvent extends DiffEvent {
  /** The row version: new row for INSERT/UPDATE, old row for DELETE; entity columns only. */
  snapshot: Record<string, unknown>;
  /**
   * Only in a record's history (recordHistory), on an update that moved a record's key away from the history's key: its
   * recordKey is the new key, oldRecordKey the history's. Not a version of the record now under that key but the
   * boundary between two records that had it: the versions listed after it (newest first) are of the record that left.
   */
  movedAway?: true;
}
