import { describe, expect, it } from 'vitest';
import { ExportFormatError, parseExport } from './export-format.js';

const header = (version = 2) => JSON.stringify({ format: 'rowtrail.diff-export', version, exportedAt: '2026-12-04T00:00:00.000Z', selection: { kind: 'context', contextId: 'c' }, watermark: '5:9:' });
const event = (id: number) => JSON.stringify({ eventId: String(id), table: 'public.t', recordKey: { id }, oldRecordKey: null, operation: 'INSERT', changes: { id } });
const ndjson = (...lines: string[]) => `${lines.join('\n')}\n`;
const end = (eventCount: number) => JSON.stringify({ end: { eventCount } });

describe('parseExport', () => {
  it('reads a whole NDJSON export: header, events, end', () => {
    const parsed = parseExport(ndjson(header(), event(1), event(2), end(2)), 'ndjson');
    expect(parsed.events.map((e) => e.eventId)).toEqual(['1', '2']);
    expect(parsed.end).toEqual({ eventCount: 2 });
    expect(parseExport(ndjson(header(), end(0)), 'ndjson')).toMatchObject({ events: [], end: { eventCount: 0 } });
  });

  it('refuses an NDJSON export cut short on a whole line, or with a line removed, saying so', () => {
    expect(() => parseExport(ndjson(header(), event(1), event(2)), 'ndjson')).toThrow(ExportFormatError);
    expect(() => parseExport(ndjson(header(), event(1), event(2)), 'ndjson')).toThrow('incomplete export: it lacks its last line, {"end":{"eventCount":…}}, which a whole export ends with (cut short?), after 2 event(s)');
    expect(() => parseExport(ndjson(header()), 'ndjson')).toThrow(/^incomplete export: .* after 0 event\(s\)$/);
    expect(() => parseExport(ndjson(header(), event(2), end(2)), 'ndjson')).toThrow('incomplete or altered export: its end says 2 event(s), it holds 1');
    expect(() => parseExport('', 'ndjson')).toThrow('not a Rowtrail export: the NDJSON text is empty (no header line)');
  });

  it('refuses a JSON export without its end, or whose end does not match its events', () => {
    const whole = { ...JSON.parse(header()), events: [JSON.parse(event(1))], end: { eventCount: 1 } };
    expect(parseExport(JSON.stringify(whole), 'json').events).toHaveLength(1);
    expect(() => parseExport(JSON.stringify({ ...whole, end: undefined }), 'json')).toThrow(/^incomplete export: it lacks its "end" field/);
    expect(() => parseExport(JSON.stringify({ ...whole, end: { eventCount: 3 } }), 'json')).toThrow('its end says 3 event(s), it holds 1');
  });

  it('reads a version 1 export (written before the end existed) as before, and refuses another format or version', () => {
    expect(parseExport(ndjson(header(1), event(1), event(2)), 'ndjson').events).toHaveLength(2);
    expect(parseExport(JSON.stringify({ ...JSON.parse(header(1)), events: [] }), 'json').end).toBeUndefined();
    expect(() => parseExport(ndjson(header(3), end(0)), 'ndjson')).toThrow('a Rowtrail export of version 3, which this version of Rowtrail cannot read (it reads 1 and 2)');
    expect(() => parseExport(JSON.stringify({ format: 'other', version: 2, events: [] }), 'json')).toThrow('not a Rowtrail export: its format is "other", not "rowtrail.diff-export"');
  });

  it('says ExportFormatError for every malformed or cut input, never a bare SyntaxError or TypeError; reads CRLF files', () => {
    const whole = ndjson(header(), event(1), event(2), end(2));
    expect(parseExport(whole.replaceAll('\n', '\r\n'), 'ndjson').events).toHaveLength(2);
    const cut = whole.slice(0, whole.indexOf(event(2)) + 10); // a line cut in two
    expect(() => parseExport(cut, 'ndjson')).toThrow(/^incomplete or malformed export: its last line is not JSON \(.*\); cut short\?$/);
    expect(() => parseExport(ndjson(header(), event(1), 'null'), 'ndjson')).toThrow(ExportFormatError);
    expect(() => parseExport(ndjson(header(), event(1), '{"end":null}'), 'ndjson')).toThrow(ExportFormatError);
    expect(() => parseExport(ndjson('null'), 'ndjson')).toThrow('not a Rowtrail export: its header is not a JSON object');
    const json = JSON.stringify({ ...JSON.parse(header()), events: [JSON.parse(event(1))], end: { eventCount: 1 } });
    expect(() => parseExport(json.slice(0, -20), 'json')).toThrow(/^incomplete or malformed export: the JSON document is not JSON/);
    expect(() => parseExport(JSON.stringify({ ...JSON.parse(header()), end: { eventCount: 0 } }), 'json')).toThrow('not a whole Rowtrail export: the JSON document has no "events" array');
  });

  it('says which encodings it reads when called (from JavaScript) without one, rather than blaming the file', () => {
    const json = JSON.stringify({ ...JSON.parse(header()), events: [], end: { eventCount: 0 } });
    const untyped = parseExport as (text: string, encoding?: string) => unknown;
    expect(() => untyped(json)).toThrow(new TypeError('parseExport(text, encoding): encoding must be "json" or "ndjson" (the export\'s file type), got none'));
    expect(() => untyped(json, 'JSON')).toThrow('encoding must be "json" or "ndjson" (the export\'s file type), got "JSON"');
  });
});
