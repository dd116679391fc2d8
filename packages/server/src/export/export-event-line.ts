import { isoTime } from '../query/event-sql.js';

/**
 * One exported event as JSON text, for diff "d" and its context "c": the fields, order and values of the
 * query API's DiffEvent (DIFF_EVENT_JSON), concatenated as text. json_build_object looks up every
 * argument's type and output function again for each row, which made it most of an export's server
 * time; concatenation costs a fraction of that. Only the two free-text fields need JSON escaping
 * (to_json); operation is one of three words, the ids are digits, the jsonb and json values are
 * PostgreSQL's own JSON text (every digit kept).
 */
export const EXPORT_EVENT_JSON = `'{"eventId":"' || d.event_id || '","table":' || to_json(d.table_name)::text
  || ',"recordKey":' || d.record_key::text || ',"oldRecordKey":' || coalesce(d.old_record_key::text, 'null')
  || ',"operation":"' || d.operation || '","changes":' || d.changes::text
  || ',"label":' || coalesce(to_json(d.label)::text, 'null') || ',"txid":"' || d.txid
  || '","createdAt":"' || ${isoTime('d.created_at')} || '","context":' || coalesce(c.json::text, 'null') || '}'`;
