import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextDriver } from '../context/pg-context-driver.js';
import { run, type ContextMetadata } from '../context/request-context.js';
import { createFixtureTables, writeScriptedHistory, type ScriptedHistory } from '../query/history-fixture.test-support.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { prepareExport } from './diff-export.js';
import type { ExportSelection } from './export-format.js';

// CommonJS modules seen from ESM: the class is the default export's default.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as typeof Ajv2020Module.default;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof addFormatsModule.default;

const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../docs/export-format.schema.json', import.meta.url)), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validateDocument = ajv.compile(schema);
const validateHeader = ajv.getSchema(`${schema.$id}#/$defs/header`)!;
const validateEvent = ajv.getSchema(`${schema.$id}#/$defs/diffEvent`)!;
const validateEndLine = ajv.getSchema(`${schema.$id}#/$defs/endLine`)!;

let db: TestDatabase;
let script: ScriptedHistory;
beforeAll(async () => {
  db = await createTestDatabase('export_schema');
  await createFixtureTables(db.pool);
  script = await writeScriptedHistory(db.pool);
  await db.pool.query(`UPDATE account SET id = 20 WHERE id = 2`); // a key change: oldRecordKey set
  // contexts whose user is neither a string nor a number (JavaScript callers can pass anything)
  const driver = new (createContextDriver(pg).Pool)({ connectionString: db.url, max: 1 });
  try {
    for (const [id, user] of [[50, true], [51, { id: 7 }]] as const) {
      await run({ user } as unknown as ContextMetadata, () => driver.query(`INSERT INTO account (id, name, balance) VALUES ($1, 'odd user', 1)`, [id]));
    }
  } finally {
    await driver.end();
  }
});
afterAll(() => db.drop());

async function text(selection: ExportSelection, encoding: 'json' | 'ndjson'): Promise<string> {
  let out = '';
  for await (const chunk of (await prepareExport(db.pool, selection, { batchSize: 3 })).stream(encoding)) out += chunk;
  return out;
}

describe('docs/export-format.schema.json', () => {
  const selections = (): ExportSelection[] => [
    { kind: 'filter', filter: {} },
    { kind: 'filter', filter: { tables: ['account'], operations: ['UPDATE'], user: 42, metadata: { tenant: 't1' }, from: '2000-01-01' } },
    { kind: 'record', table: 'account', key: { id: 1 } },
    { kind: 'context', contextId: script.contexts.bob.id },
    { kind: 'filter', filter: { tables: ['account'], after: '3:3:' } }, // chained: every event committed since transaction 3
    { kind: 'filter', filter: { tables: ['account'], recordKey: { id: 1 }, changed: ['balance'] } },
    { kind: 'filter', filter: { metadata: { tenant: 5, beta: true } } }, // metadata values are compared as text
  ];

  it('validates every JSON export', async () => {
    for (const selection of selections()) {
      const document = JSON.parse(await text(selection, 'json'));
      expect(validateDocument(document), JSON.stringify(validateDocument.errors)).toBe(true);
    }
    const all = JSON.parse(await text({ kind: 'filter', filter: {} }, 'json'));
    // any other user value is given as its JSON text, the text the user filter matches
    const oddUsers = all.events.filter((e: { changes: { name?: string } }) => e.changes.name === 'odd user').map((e: { context: { user: unknown } }) => e.context.user);
    expect(oddUsers).toEqual(['true', '{"id": 7}']);
    const byUser = JSON.parse(await text({ kind: 'filter', filter: { user: '{"id": 7}' } }, 'json'));
    expect(byUser.events.map((e: { recordKey: unknown }) => e.recordKey)).toEqual([{ id: 51 }]);
    expect(all.events.some((e: { oldRecordKey: unknown }) => e.oldRecordKey !== null)).toBe(true);
    expect(validateDocument({ ...all, version: 1 })).toBe(false); // the schema does constrain
    expect(validateDocument({ ...all, end: undefined })).toBe(false);
    expect(all.end).toEqual({ eventCount: all.events.length });
    expect(validateDocument({ ...all, watermark: 'yesterday' })).toBe(false);
    expect(validateDocument({ ...all, events: [{ ...all.events[0], operation: 'MERGE' }] })).toBe(false);
  });

  it('validates every NDJSON line', async () => {
    for (const selection of selections()) {
      const lines = (await text(selection, 'ndjson')).trimEnd().split('\n').map((line) => JSON.parse(line));
      const [header, events, end] = [lines[0], lines.slice(1, -1), lines[lines.length - 1]];
      expect(validateHeader(header), JSON.stringify(validateHeader.errors)).toBe(true);
      for (const event of events) expect(validateEvent(event), JSON.stringify(validateEvent.errors)).toBe(true);
      expect(validateEndLine(end), JSON.stringify(validateEndLine.errors)).toBe(true);
      expect(end).toEqual({ end: { eventCount: events.length } });
      expect(validateEvent(end)).toBe(false); // the end line is no event
    }
  });
});
