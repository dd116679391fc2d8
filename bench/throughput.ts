import { nowMs } from './stats.js';

/** Runs `clients` loops calling op(client, i) until `durationMs` has passed; returns operations per second. */
export async function throughput(clients: number, durationMs: number, op: (client: number, i: number) => Promise<unknown>): Promise<number> {
  const start = nowMs();
  const deadline = start + durationMs;
  let done = 0;
  await Promise.all(Array.from({ length: clients }, async (_, client) => {
    for (let i = 0; nowMs() < deadline; i++) {
      await op(client, i);
      done++;
    }
  }));
  return (done * 1000) / (nowMs() - start);
}
