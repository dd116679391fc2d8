import { encodeCursor, type Page } from './event-cursor.js';
import { compactJson, parseJsonExact, rawJson, type RawJson } from './exact-json.js';

/** An event as the queries select it: PostgreSQL's JSON text, never parsed by node-pg. */
export interface EventRow {
  event_id: string;
  /** The record key as jsonb text, e.g. {"id": 9007199254740993}. */
  record_key: string;
  /** The event's JSON text. */
  event: string;
}

/** SELECT list of an EventRow for an event JSON expression over diff "d". */
export const eventColumns = (eventJson: string): string =>
  `d.event_id::text AS event_id, d.record_key::text AS record_key, (${eventJson})::text AS event`;

/** How the queries turn JSON text into results: exactly parsed (query API) or kept as text (HTTP API). */
export interface JsonCodec<E> {
  event(row: EventRow): E;
  value(text: string): unknown;
}

/** The query API's results: numbers a double cannot hold exactly become strings (see parseJsonExact). */
export const EXACT_CODEC: JsonCodec<never> = {
  event: (row) => parseJsonExact<never>(row.event),
  value: (text) => parseJsonExact(text),
};

/**
 * The HTTP API's results: PostgreSQL's JSON text written into the response unchanged, each event with
 * "recordKeyText", its record key as compact JSON text (as JSON.stringify writes small keys), so clients
 * whose JSON parser rounds big numbers can still link to the exact record.
 */
export const RAW_CODEC: JsonCodec<RawJson> = {
  event: (row) => rawJson(`${row.event.slice(0, -1)},"recordKeyText":${JSON.stringify(compactJson(row.record_key))}}`),
  value: rawJson,
};

/** Cuts a limit+1 fetch into a page of decoded events and its cursor. */
export function toEventPage<E>(rows: EventRow[], limit: number, codec: JsonCodec<E>): Page<E> {
  const page = rows.slice(0, limit);
  return { events: page.map((row) => codec.event(row)), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].event_id) : null };
}
