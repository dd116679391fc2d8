import pg from 'pg';
import { recordHistory } from './packages/server/src/query/record-history.js';
const pool = new pg.Pool({ connectionString: 'postgres://root@127.0.0.1:5432/rowtrail_bench_read', max: 2 });
const times: number[] = []; const slow: Array<[number, number]> = [];
let seed = 42; const rnd = () => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed / 2 ** 32; };
for (let i = 0; i < 3000; i++) {
  const id = 1 + Math.floor(rnd() * 999000);
  const t0 = process.hrtime.bigint(); await recordHistory(pool, 'read_item', { id }); const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  times.push(ms); if (ms > 3) slow.push([i, ms]);
}
times.sort((a, b) => a - b);
console.log('p50', times[1500].toFixed(2), 'p90', times[2700].toFixed(2), 'p99', times[2970].toFixed(2), 'max', times[2999].toFixed(2));
console.log('slow', slow.length, slow.slice(0, 20).map(([i, ms]) => `${i}:${ms.toFixed(1)}`).join(' '));
await pool.end();
