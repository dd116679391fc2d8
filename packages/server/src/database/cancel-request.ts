import pg from 'pg';

/** What of pg's Connection this uses (its types leave these out). */
interface CancelConnection {
  connect(port: number | string, host?: string): void;
  cancel(processID: number, secretKey: number): void;
  on(event: 'connect' | 'error', listener: () => void): void;
  readonly stream: { destroy(): void; on(event: 'close', listener: () => void): void };
}

/**
 * Asks PostgreSQL to cancel what `client` is running, with the protocol's cancel request (the backend's process id and
 * secret key, on a connection of its own, as libpq's PQcancel and pg's query cancellation do): it needs no login nor a
 * free connection of any pool, and a connection pooler routes it as it routes the connection. A statement
 * `pg_cancel_backend(pid)` would name the process id the client was told, which behind a pooler (PgBouncer) is the
 * pooler's own and may be another session's backend. `options`: the client's connection settings (host, port).
 * Fire and forget: at worst nothing is cancelled and the statement runs to its end.
 */
export function sendCancelRequest(options: pg.ClientConfig, client: pg.ClientBase): void {
  const { processID, secretKey } = client as unknown as { processID?: number | null; secretKey?: number | null };
  if (processID == null || secretKey == null) return;
  // pg's own parsing of the settings (connection string, PGHOST/PGPORT, socket directories)
  const { host, port } = new pg.Client(options) as unknown as { host: string; port: number };
  const connection = new pg.Connection() as unknown as CancelConnection;
  connection.on('error', () => undefined);
  connection.on('connect', () => connection.cancel(processID, secretKey));
  // the server closes the connection once it has read the request; never wait on it longer than this
  const timer = setTimeout(() => connection.stream.destroy(), 5_000);
  timer.unref();
  connection.stream.on('close', () => clearTimeout(timer));
  if (host?.startsWith('/')) connection.connect(`${host}/.s.PGSQL.${port}`);
  else connection.connect(port, host);
}
