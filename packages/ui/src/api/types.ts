// Shapes of the HTTP API (docs/http-api.md). Column values, keys and metadata are parsed without rounding (lib/exact-json):
// a number a JS number cannot hold as written is an ExactNumber, shown and compared as its text.
import type { ExactNumber } from '../lib/exact-json';

export type Operation = 'INSERT' | 'UPDATE' | 'DELETE';
export const OPERATIONS: Operation[] = ['INSERT', 'UPDATE', 'DELETE'];

export interface Context {
  id: string;
  user: string | number | ExactNumber | null;
  requestId: string | null;
  method: string | null;
  url: string | null;
  metadata: Record<string, unknown>;
  dbUser: string;
  applicationName: string | null;
  createdAt: string;
}

export interface DiffEvent {
  eventId: string;
  table: string;
  recordKey: Record<string, unknown>;
  /** The record key as exact, compact JSON text (the HTTP API adds it): links are built from it. */
  recordKeyText?: string;
  oldRecordKey: Record<string, unknown> | null;
  operation: Operation;
  changes: Record<string, unknown>;
  label: string | null;
  txid: string;
  createdAt: string;
  context: Context | null;
}

export interface HistoryEvent extends DiffEvent {
  snapshot: Record<string, unknown>;
  /**
   * Only in a record's history: an update that moved a record's key away from this key (recordKey the new key). Not a
   * version, but the boundary between two records that had the key: the versions after it are of the record that left.
   */
  movedAway?: true;
}

export interface TrackedTable {
  table: string;
  snapshotTable: string;
  primaryKey: string[];
  columns: { name: string; type: string }[];
  /** Null when readError. */
  events: number | null;
  eventsEstimated: boolean;
  lastChangeAt: string | null;
  /** Whether the table's changes are recorded now (false once its capture was removed or disabled; its history stays). */
  recording: boolean;
  /** Why the server could not read the table's history (its database role may not, say): what PostgreSQL said. */
  readError?: string;
}

export interface Page<T> {
  events: T[];
  nextCursor: string | null;
}

/** Filters shared by the feed, the activity chart and the feed export. */
export interface EventFilters {
  table?: string[];
  operation?: string[];
  user?: string;
  requestId?: string;
  /** the database user of changes made without application context (psql, migrations) */
  dbUser?: string;
  from?: string;
  to?: string;
  /** an earlier export's watermark: only changes committed since that export */
  after?: string;
  /**
   * JSON text of some or all of the key columns of the one filtered table: the changes of every record whose key has
   * those values (all the links of one article in a join table), or of one record
   */
  recordKey?: string;
  /** recorded columns of the one filtered table: only the updates that changed any of them */
  changed?: string[];
}
