import { readFileSync } from 'node:fs';
import type pg from 'pg';

/**
 * CPU time a PostgreSQL backend has used, in ms, from /proc/<pid>/schedstat:
 * available when the server runs on this machine and /proc is readable.
 * CPU time is far less disturbed than wall time by other work on a shared
 * machine, so the bulk benchmark reports it next to wall time.
 */
export function backendCpuMs(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

/** The backend pid of a connection, if its CPU time can be read here. */
export async function readableBackendPid(client: pg.ClientBase): Promise<number | undefined> {
  const pid = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  return backendCpuMs(pid) === undefined ? undefined : pid;
}
