import type { EventFilter } from '../query/event-filter.js';
import type { DiffEvent } from '../query/event-types.js';
import { parseJsonExact } from '../query/exact-json.js';

/** Identifies the format; see docs/export-format.md and docs/export-format.schema.json. */
export const EXPORT_FORMAT = 'rowtrail.diff-export';
export const EXPORT_VERSION = 1;

export type ExportEncoding = 'json' | 'ndjson';

/** What to export: one record's diffs, one request's diffs, or the diffs matching a filter. */
export type ExportSelection =
  | { kind: 'record'; table: string; key: Record<string, unknown> }
  | { kind: 'context'; contextId: string }
  | { kind: 'filter'; filter: EventFilter };

/** The header of an export: the JSON document's fields besides "events", or the first NDJSON line. */
export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  selection: ExportSelection;
  /**
   * The snapshot the export read its events in. A later export of the same selection with `after` set to it (a filter
   * field) holds exactly the events committed since: chained exports miss none and repeat none.
   */
  watermark: string;
}

/** A whole export once parsed (JSON encoding). */
export interface DiffExport extends ExportHeader {
  events: DiffEvent[];
}

export const CONTENT_TYPES: Record<ExportEncoding, string> = {
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/**
 * Parses an export in either encoding (for tests and tools; holds everything in memory). Numbers a
 * JavaScript number cannot hold exactly become strings of their digits, as the query API returns them.
 */
export function parseExport(text: string, encoding: ExportEncoding): DiffExport {
  if (encoding === 'json') return parseJsonExact<DiffExport>(text);
  const lines = text.split('\n').filter((line) => line.length > 0);
  const header = parseJsonExact<ExportHeader>(lines[0]);
  return { ...header, events: lines.slice(1).map((line) => parseJsonExact<DiffEvent>(line)) };
}

/** A download file name such as rowtrail-public.account-5-20240501T120000Z.ndjson (safe characters only). */
export function exportFileName(selection: ExportSelection, encoding: ExportEncoding, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  const subject =
    selection.kind === 'record' ? `${selection.table}-${Object.values(selection.key).join('-')}`
    : selection.kind === 'context' ? `context-${selection.contextId}`
    : 'events';
  const safe = subject.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return `rowtrail-${safe}-${stamp}.${encoding}`;
}
