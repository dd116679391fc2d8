import { requireEventFilter } from '../query/event-filter-shape.js';
import { describeValue, invalidParameter } from '../query/query-errors.js';
import type { ExportEncoding, ExportSelection } from './export-format.js';

/**
 * What an export is asked for, checked before anything is read: a JavaScript caller's `{ kind: 'nope' }` or a format
 * such as 'xml' is a 400 naming the field, not a TypeError from deep inside or a file in a format nobody asked for.
 */
export function requireExportSelection(selection: unknown): ExportSelection {
  if (selection === null || typeof selection !== 'object' || Array.isArray(selection)) {
    throw invalidParameter('selection', 'must be an object: { kind: "record", table, key }, { kind: "context", contextId } or { kind: "filter", filter }');
  }
  const given = selection as Record<string, unknown>;
  // a field of another kind (`from` on a record) would be ignored, and the export hold more than was asked for
  const known = typeof given.kind === 'string' && Object.hasOwn(SELECTION_FIELDS, given.kind) ? SELECTION_FIELDS[given.kind as ExportSelection['kind']] : undefined;
  const unknown = known ? Object.keys(given).find((name) => !known.includes(name) && given[name] !== undefined) : undefined;
  if (known && unknown !== undefined) {
    throw invalidParameter(unknown, `is not a field of a ${String(given.kind)} selection (those are ${known.join(', ')}${given.kind === 'filter' ? '' : '; filters go in { kind: "filter", filter }'})`);
  }
  if (given.kind === 'record') {
    if (typeof given.table !== 'string') throw invalidParameter('table', 'must be a table name such as "public.account"');
    if (given.key === null || typeof given.key !== 'object' || Array.isArray(given.key)) throw invalidParameter('key', 'must be an object of key columns such as {"id": 5}');
  } else if (given.kind === 'context') {
    if (typeof given.contextId !== 'string') throw invalidParameter('contextId', 'must be a UUID string');
  } else if (given.kind === 'filter') {
    if (given.filter === undefined) throw invalidParameter('filter', 'is missing: give an object of filter fields ({} for every event)');
    requireEventFilter(given.filter);
  } else {
    throw invalidParameter('kind', `must be "record", "context" or "filter", got ${describeValue(given.kind)}`);
  }
  return selection as ExportSelection;
}

const SELECTION_FIELDS: Record<ExportSelection['kind'], string[]> = {
  record: ['kind', 'table', 'key'],
  context: ['kind', 'contextId'],
  filter: ['kind', 'filter'],
};

/** 'json' or 'ndjson', or a 400 naming `format`. */
export function requireExportEncoding(encoding: unknown): ExportEncoding {
  if (encoding !== 'json' && encoding !== 'ndjson') throw invalidParameter('format', `must be "json" or "ndjson", got ${describeValue(encoding)}`);
  return encoding;
}
