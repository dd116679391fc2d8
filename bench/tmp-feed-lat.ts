import pg from 'pg';
import { activityFeed } from '../packages/server/src/query/activity-feed.js';
import { recordHistory } from '../packages/server/src/query/record-history.js';
import { encodeCursor } from '../packages/server/src/query/event-cursor.js';
const pool = new pg.Pool({ connectionString: 'postgres://root@127.0.0.1:5432/rowtrail_bench_read', max: 2 });
const pct = (a: number[], p: number) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
for (const [name, fn] of [
  ['userFeed', () => activityFeed(pool, { user: `user-${Math.floor(Math.random() * 500)}` }, { cursor: encodeCursor(String(1 + Math.floor(Math.random() * 10_000_000))) })],
  ['history', () => recordHistory(pool, 'public.read_item', { id: Math.floor(Math.random() * 999_000) })],
] as const) {
  for (let i = 0; i < 20; i++) await fn();
  const t: number[] = [];
  for (let i = 0; i < 200; i++) { const s = performance.now(); await fn(); t.push(performance.now() - s); }
  console.log(name, 'p50', pct(t, 0.5).toFixed(2), 'p99', pct(t, 0.99).toFixed(2));
}
await pool.end();
