import { machineBusyMs } from './machine-cpu.js';
import { nowMs } from './stats.js';

export interface ThroughputSlice {
  opsPerSecond: number;
  /** Busy CPU of the whole machine per operation, microseconds (undefined without /proc/stat). */
  cpuUsPerOp?: number;
  /** CPU of this Node process (the application side: TypeORM, pg, Rowtrail's driver) per operation, microseconds. */
  appCpuUsPerOp: number;
}

/** Runs `clients` loops calling op(client, i) until `durationMs` has passed; returns operations per second and CPU per operation. */
export async function throughput(clients: number, durationMs: number, op: (client: number, i: number) => Promise<unknown>): Promise<ThroughputSlice> {
  const start = nowMs();
  const busyBefore = machineBusyMs();
  const appBefore = process.cpuUsage();
  const deadline = start + durationMs;
  let done = 0;
  await Promise.all(Array.from({ length: clients }, async (_, client) => {
    for (let i = 0; nowMs() < deadline; i++) {
      await op(client, i);
      done++;
    }
  }));
  const busyAfter = machineBusyMs();
  const app = process.cpuUsage(appBefore);
  const opsPerSecond = (done * 1000) / (nowMs() - start);
  const cpuUsPerOp = busyBefore === undefined || busyAfter === undefined || done === 0 ? undefined : ((busyAfter - busyBefore) * 1000) / done;
  const appCpuUsPerOp = done === 0 ? NaN : (app.user + app.system) / done;
  return { opsPerSecond, cpuUsPerOp, appCpuUsPerOp };
}
