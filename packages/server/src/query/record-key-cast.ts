import type pg from 'pg';
import { qualified, quoteIdent } from '../ddl/quote.js';
import type { EventFilter } from './event-filter.js';
import { SqlParams } from './event-sql.js';
import { describeValue, invalidParameter } from './query-errors.js';
import { castOnServer, CastKeyValue, recordKeyParts } from './record-key.js';
import { requireTable, type RegisteredTable } from './tracked-table-registry.js';

/**
 * A record key whose values of types the key check does not know (inet, an enum, citext, macaddr…) PostgreSQL read as
 * their key column's type, in one round trip: each becomes a CastKeyValue, compared as that type through the key
 * index, and in jsonb keys (old keys, a retyped key's) as the capture writes it, so another spelling of the value
 * (`::ffff:1.2.3.4/128` for the inet `::ffff:1.2.3.4`) finds the record. A value the type cannot read is refused
 * naming its key field, before any query runs with it. A key without such values is returned as it is, with no query.
 */
export async function castRecordKey<K>(pool: pg.Pool, schema: string, table: RegisteredTable, key: K, parameter = 'key', options: { partial?: boolean } = {}): Promise<K> {
  const parts = recordKeyParts(table, key, parameter, options).filter(castOnServer);
  if (parts.length === 0) return key;
  const params = new SqlParams();
  // The history table's key column with the value as the other branch of a UNION: PostgreSQL reads the parameter as the
  // column's type, named nowhere in the SQL (a domain as its base type). The type is named schema-qualified for the
  // typed comparison, so the session's search_path does not matter there.
  const history = qualified(schema, table.snapshotTable);
  const read = parts.map((p, i) => `CROSS JOIN LATERAL (SELECT pg_catalog.to_jsonb(u.v)::text AS json,
      (SELECT pg_catalog.format('%I.%I', n.nspname, t.typname) FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
       WHERE t.oid = pg_catalog.pg_typeof(u.v)) AS type
    FROM (SELECT h.${quoteIdent(p.name)} AS v FROM ${history} h WHERE false UNION ALL SELECT ${params.add(p.text)}) u) k${i}`);
  let row: Record<string, string>;
  try {
    ({ rows: [row] } = await pool.query<Record<string, string>>(
      `SELECT ${parts.map((_, i) => `k${i}.json AS json${i}, k${i}.type AS type${i}`).join(', ')} FROM (SELECT) one ${read.join(' ')}`, params.values));
  } catch (error) {
    // class 22, data exception: the value is no value of the type (PostgreSQL's CONTEXT names the parameter)
    const { code, where, message } = error as { code?: string; where?: string; message?: string };
    if (typeof code !== 'string' || !code.startsWith('22')) throw error;
    const index = Number(/parameter \$(\d+)/.exec(where ?? '')?.[1] ?? 1) - 1;
    const part = parts[index] ?? parts[0];
    const value = (key as Record<string, unknown>)[part.name];
    // PostgreSQL's reason without the value it quotes (given already, cut short)
    const reason = String(message).split('\n')[0].replace(/:\s*".*$/s, '').slice(0, 200);
    throw invalidParameter(`${parameter}.${part.name}`, `must be a value of type ${part.type}, got ${describeValue(value)} (${reason})`);
  }
  const cast: Record<string, unknown> = { ...(key as Record<string, unknown>) };
  parts.forEach((p, i) => { cast[p.name] = new CastKeyValue(p.text, row[`json${i}`], row[`type${i}`]); });
  return cast as K;
}

/** The filter with its recordKey read by castRecordKey, where it names one table (filterConditions refuses it otherwise). */
export async function castFilterKey<F extends EventFilter>(pool: pg.Pool, schema: string, registry: Map<string, RegisteredTable>, filter: F): Promise<F> {
  if (filter.recordKey === undefined || filter.tables?.length !== 1) return filter;
  const table = requireTable(registry, filter.tables[0], 'table');
  return { ...filter, recordKey: await castRecordKey(pool, schema, table, filter.recordKey, 'recordKey', { partial: true }) };
}
