/**
 * A limit on export downloads streaming at once. Each holds a database
 * connection and a snapshot for as long as its client reads (a slow client can
 * take minutes), so without a limit a few stalled downloads would take every
 * connection and starve the rest of the API.
 */
export class ExportSlots {
  private used = 0;
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`Rowtrail: maxConcurrentExports must be a positive integer, got ${limit}`);
  }

  /** Takes a slot, or returns undefined when all are in use; the returned function gives it back (once). */
  tryTake(): (() => void) | undefined {
    if (this.used >= this.limit) return undefined;
    this.used++;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.used--;
    };
  }

  get inUse(): number {
    return this.used;
  }
}

/** The API is temporarily unable to serve: answered 503 with Retry-After. */
export class ServiceUnavailableError extends Error {
  override name = 'ServiceUnavailableError';
  constructor(readonly code: string, message: string, readonly retryAfterSeconds = 5) {
    super(message);
  }
}

/** Whether an error means "no database connection available right now" (pool exhausted or server full), not a bug. */
export function isConnectionShortage(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  if (!e) return false;
  return e.code === '53300' /* too_many_connections */ || e.code === '57P03' /* cannot_connect_now */
    || e.message === 'timeout exceeded when trying to connect' // pg-pool: connectionTimeoutMillis passed while the pool was full
    || e.message === 'Connection terminated due to connection timeout';
}
