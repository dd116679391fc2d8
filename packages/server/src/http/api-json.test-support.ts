import { expect } from 'vitest';
import { parseJsonExact } from '../query/exact-json.js';

/** Test support: an API answer parsed as the query API parses PostgreSQL's JSON (big numbers as exact strings). */
export async function readApiJson<T = any>(response: Response): Promise<T> {
  return parseJsonExact<T>(await response.text());
}

/** Events of an API answer without the HTTP-only "recordKeyText", after checking it is the record key's exact JSON. */
export function withoutKeyText<T extends { recordKey: unknown }>(events: Array<T & { recordKeyText?: string }>): T[] {
  return events.map(({ recordKeyText, ...event }) => {
    expect(typeof recordKeyText).toBe('string');
    expect(parseJsonExact(recordKeyText!)).toEqual(event.recordKey);
    return event as unknown as T;
  });
}
