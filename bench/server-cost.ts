import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createContext } from '../packages/server/src/context/request-context.js';
import { median } from './stats.js';
import { uuidV7 } from '../packages/server/src/context/uuid-v7.js';

export interface ServerCost {
  samples: number;
  /** Median server execution time (EXPLAIN ANALYZE "Execution Time", triggers included), ms. */
  untrackedUpdate: number;
  trackedUpdate: number;
  /** The same with time-ordered (UUIDv7) context ids instead of random ones (v4, what createContext() makes). */
  trackedUpdateV7: number;
  /** rowtrail.context_id() alone in a new transaction: parse the comment, insert the context row. */
  contextId: number;
}

/**
 * Server-side cost of one single-row UPDATE in its own transaction with a new
 * request context, untracked vs tracked, without client or network time: what
 * the capture adds per statement.
 */
export async function measureServerCost(url: string, tables: { untracked: string; tracked: string }, rows: number, samples: number): Promise<ServerCost> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const execution = async (sql: string) => {
    await client.query('BEGIN');
    const { rows: plan } = await client.query(sql);
    await client.query('COMMIT');
    const line = plan.map((r) => r['QUERY PLAN'] as string).find((l) => l.startsWith('Execution Time'));
    return Number(/([\d.]+) ms/.exec(line ?? '')?.[1] ?? NaN);
  };
  try {
    const times = { untrackedUpdate: [] as number[], trackedUpdate: [] as number[], trackedUpdateV7: [] as number[], contextId: [] as number[] };
    for (let i = 0; i < samples + 10; i++) {
      const id = 1 + ((i * 7919) % rows);
      const comment = createContext({ user: 'bench-user', requestId: randomUUID(), method: 'PUT', url: '/items' }).comment;
      const explain = 'EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF)';
      const u = await execution(`${explain} UPDATE ${tables.untracked} SET quantity = quantity + 1, updated_at = now() WHERE id = ${id}`);
      const t = await execution(`${comment}${explain} UPDATE ${tables.tracked} SET quantity = quantity + 1, updated_at = now() WHERE id = ${id}`);
      const comment7 = createContext({ user: 'bench-user', requestId: randomUUID(), method: 'PUT', url: '/items' }, uuidV7()).comment;
      const t7 = await execution(`${comment7}${explain} UPDATE ${tables.tracked} SET quantity = quantity + 1, updated_at = now() WHERE id = ${id}`);
      const c = await execution(`${createContext({ user: 'bench-user', requestId: randomUUID() }).comment}${explain} SELECT rowtrail.context_id()`);
      if (i < 10) continue; // warm-up: plans cached in this session
      times.untrackedUpdate.push(u);
      times.trackedUpdate.push(t);
      times.trackedUpdateV7.push(t7);
      times.contextId.push(c);
    }
    return { samples, untrackedUpdate: median(times.untrackedUpdate), trackedUpdate: median(times.trackedUpdate), trackedUpdateV7: median(times.trackedUpdateV7), contextId: median(times.contextId) };
  } finally {
    await client.end();
  }
}
