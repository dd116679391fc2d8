import pg from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { assertClientClass, createContextDriver, type ContextDriverOptions } from '../context/pg-context-driver.js';
import { RowtrailSubscriber } from './rowtrail-subscriber.js';
import { explainStaleTrigger } from '../install/stale-trigger-error.js';
import { explainTriggerDependency } from '../install/trigger-dependency-error.js';
import { mapProtectionError } from '../protections/protection-error.js';

/** Marks a pg module built by Rowtrail, so the subscriber can tell a wired DataSource from one that is not. */
export const ROWTRAIL_DRIVER = Symbol.for('rowtrail.driver');

/** Applied in order to every error a statement of a wired connection fails with. */
const ERROR_EXPLAINERS: ReadonlyArray<(error: unknown) => unknown> = [mapProtectionError, explainStaleTrigger, explainTriggerDependency];

/** A pg module for TypeORM's `driver` option that carries Rowtrail context; for options assembled by hand. */
export function rowtrailDriver(base: typeof pg = pg, options: ContextDriverOptions = {}): typeof pg {
  // Refused writes surface as ProtectionError (TypeORM wraps it: QueryFailedError.driverError), a write a stale capture
  // or a protection whose column was renamed refused says so, as does a column retype a trigger's WHEN blocks, then any
  // mapper of the caller's.
  const custom = options.mapError;
  const mapError = (error: unknown, queryText: string) => {
    const mapped = ERROR_EXPLAINERS.reduce((e, explain) => explain(e), error);
    return custom ? custom(mapped, queryText) : mapped;
  };
  return Object.assign(createContextDriver(base, { ...options, mapError }), { [ROWTRAIL_DRIVER]: true });
}

/**
 * Returns DataSource options wired for Rowtrail: a pg driver that carries the
 * request context in every statement (this DataSource only, nothing global),
 * and the Rowtrail subscriber.
 */
export function withRowtrail<T extends DataSourceOptions>(options: T, driverOptions: ContextDriverOptions = {}): T {
  if (options.type !== 'postgres') {
    throw new Error(`Rowtrail: withRowtrail() supports DataSource type "postgres", got "${options.type}"`);
  }
  // the pool keeps an application's own Client class (Rowtrail's behaviour is a subclass of it): refused here, not at initialize()
  const client = (options as { extra?: { Client?: unknown } }).extra?.Client;
  if (client !== undefined && client !== null) assertClientClass(client, "TypeORM's extra.Client (the pg Pool's Client option)");
  const base = ((options as { driver?: typeof pg }).driver ?? pg) as typeof pg;
  const subscribers = Array.isArray(options.subscribers) ? options.subscribers : options.subscribers ? Object.values(options.subscribers) : [];
  return {
    ...options,
    driver: rowtrailDriver(base, driverOptions),
    subscribers: [...(subscribers as Function[]).filter((s) => s !== RowtrailSubscriber), RowtrailSubscriber],
  };
}
