import type { EventFilter } from '../query/event-filter.js';
import type { DiffEvent } from '../query/event-types.js';
import { parseJsonExact } from '../query/exact-json.js';

/** Identifies the format; see docs/export-format.md and docs/export-format.schema.json. */
export const EXPORT_FORMAT = 'rowtrail.diff-export';
export const EXPORT_VERSION = 2;

export type ExportEncoding = 'json' | 'ndjson';

/** What to export: one record's diffs, one request's diffs, or the diffs matching a filter. */
export type ExportSelection =
  | { kind: 'record'; table: string; key: Record<string, unknown> }
  | { kind: 'context'; contextId: string }
  | { kind: 'filter'; filter: EventFilter };

/** The header of an export: the JSON document's fields besides "events", or the first NDJSON line. */
export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  /** 2 since exports end with `end`; a file written before that reads 1 (and has no end). */
  version: 1 | typeof EXPORT_VERSION;
  exportedAt: string;
  selection: ExportSelection;
  /**
   * The snapshot the export read its events in. A later export of the same selection with `after` set to it (a filter
   * field) holds exactly the events committed since: chained exports miss none and repeat none.
   */
  watermark: string;
}

/**
 * What an export writes once every event is out and its read committed (version 2 on): the JSON document's last field,
 * the NDJSON file's last line (`{"end":{"eventCount":…}}`). An export cut short (a failed or interrupted download, a
 * file copied before its end) lacks it, so a file without it is incomplete even when it ends on a whole line.
 */
export interface ExportEnd {
  /** How many events the export holds. */
  eventCount: number;
}

/** A whole export once parsed. */
export interface DiffExport extends ExportHeader {
  events: DiffEvent[];
  /** Absent from version 1 exports only: parseExport refuses a version 2 export without it. */
  end?: ExportEnd;
}

/** An export that is not a whole Rowtrail export: cut short, altered, or another format or version. */
export class ExportFormatError extends Error {
  override name = 'ExportFormatError';
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
  // from JavaScript the encoding may be missing: reading a JSON document as NDJSON would blame the file
  if (encoding !== 'json' && encoding !== 'ndjson') {
    throw new TypeError(`parseExport(text, encoding): encoding must be "json" or "ndjson" (the export's file type), got ${encoding === undefined ? 'none' : JSON.stringify(encoding)}`);
  }
  if (encoding === 'json') {
    const document = parsed<DiffExport>(text, 'the JSON document');
    checkHeader(document);
    if (!Array.isArray(document.events)) throw new ExportFormatError('not a whole Rowtrail export: the JSON document has no "events" array');
    if (document.version !== 1) checkEnd(document.end, document.events.length, 'its "end" field');
    return document;
  }
  // CRLF line ends (a file that went through Windows) read as LF
  const lines = text.split('\n').map((line) => line.replace(/\r$/, '')).filter((line) => line.length > 0);
  if (lines.length === 0) throw new ExportFormatError('not a Rowtrail export: the NDJSON text is empty (no header line)');
  const header = parsed<ExportHeader>(lines[0], 'its header line');
  checkHeader(header);
  const line = (text: string, index: number) => parsed<DiffEvent>(text, `line ${index + 2}`);
  if (header.version === 1) return { ...header, events: lines.slice(1).map(line) };
  const last = lines.length > 1 ? parsed<unknown>(lines[lines.length - 1], 'its last line') : undefined;
  const end = typeof last === 'object' && last !== null && 'end' in last ? (last as { end: ExportEnd }).end : undefined;
  const events = lines.slice(1, end === undefined ? undefined : -1).map(line);
  checkEnd(end, events.length, 'its last line, {"end":{"eventCount":…}}');
  return { ...header, events, end };
}

/** JSON text of an export, or an ExportFormatError saying which part is not JSON (a line cut in two, say). */
function parsed<T>(text: string, what: string): T {
  try {
    return parseJsonExact<T>(text);
  } catch (error) {
    throw new ExportFormatError(`incomplete or malformed export: ${what} is not JSON (${(error as Error).message}); cut short?`, { cause: error });
  }
}

function checkHeader(header: Partial<ExportHeader> | null): asserts header is ExportHeader {
  if (typeof header !== 'object' || header === null) throw new ExportFormatError('not a Rowtrail export: its header is not a JSON object');
  if (header.format !== EXPORT_FORMAT) throw new ExportFormatError(`not a Rowtrail export: its format is ${JSON.stringify(header.format)}, not "${EXPORT_FORMAT}"`);
  if (header.version !== 1 && header.version !== EXPORT_VERSION) {
    throw new ExportFormatError(`a Rowtrail export of version ${JSON.stringify(header.version)}, which this version of Rowtrail cannot read (it reads 1 and ${EXPORT_VERSION})`);
  }
}

function checkEnd(end: ExportEnd | null | undefined, events: number, where: string): void {
  if (end === undefined || end === null) throw new ExportFormatError(`incomplete export: it lacks ${where}, which a whole export ends with (cut short?), after ${events} event(s)`);
  if (typeof end !== 'object' || end.eventCount !== events) throw new ExportFormatError(`incomplete or altered export: its end says ${end.eventCount} event(s), it holds ${events}`);
}

/** A download file name such as rowtrail-public.account-5-20240501T120000Z.ndjson (safe characters only). */
/** A key value in a file name: a json or jsonb key's object or array as its JSON, not "[object Object]". */
const keyPartName = (value: unknown) => (value !== null && typeof value === 'object' && !(value instanceof Date)
  ? JSON.stringify(value, (_name, inner: unknown) => (typeof inner === 'bigint' ? inner.toString() : inner)) : String(value));

export function exportFileName(selection: ExportSelection, encoding: ExportEncoding, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  const subject =
    selection.kind === 'record' ? `${selection.table}-${Object.values(selection.key).map(keyPartName).join('-')}`
    : selection.kind === 'context' ? `context-${selection.contextId}`
    : 'events';
  const safe = subject.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return `rowtrail-${safe}-${stamp}.${encoding}`;
}
