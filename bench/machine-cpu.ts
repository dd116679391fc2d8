import { readFileSync } from 'node:fs';

/**
 * CPU time the whole machine spent busy (user, nice, system, irq, softirq; not idle or I/O wait),
 * in milliseconds, from /proc/stat; undefined where there is none. With the database, the
 * benchmark client and their kernel work on one machine, busy CPU per operation is what a
 * CPU-bound throughput ratio follows.
 */
export function machineBusyMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq] = fields;
    return ((user + nice + system + irq + softirq) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}
