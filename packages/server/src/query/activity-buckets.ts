import type pg from 'pg';
import { castFilterKey } from './record-key-cast.js';
import { filterConditions, whereClause, type EventFilter } from './event-filter.js';
import { eventView, isoTime, SqlParams } from './event-sql.js';
import { requireEventFilter } from './event-filter-shape.js';
import { invalidParameter } from './query-errors.js';
import { loadRegistry, schemaOf, type QueryOptions } from './tracked-table-registry.js';
import { requireReachedWatermark } from './watermark.js';

export type BucketSize = 'hour' | 'day';

export interface ActivityBucket {
  /** Start of the bucket, ISO 8601 UTC. */
  start: string;
  INSERT: number;
  UPDATE: number;
  DELETE: number;
}

/** Event counts per hour or day (UTC) and operation, oldest first, for the dashboard's activity chart. */
export async function activityBuckets(pool: pg.Pool, givenFilter: EventFilter = {}, options: QueryOptions & { bucket?: BucketSize } = {}): Promise<{ bucket: BucketSize; buckets: ActivityBucket[] }> {
  const schema = schemaOf(options);
  const bucket = options.bucket ?? 'day';
  if (bucket !== 'hour' && bucket !== 'day') throw invalidParameter('bucket', `must be "hour" or "day", got ${JSON.stringify(bucket)}`);
  requireEventFilter(givenFilter);
  const registry = await loadRegistry(pool, options, givenFilter.tables ?? []);
  await requireReachedWatermark(pool, givenFilter.after);
  const filter = await castFilterKey(pool, schema, registry, givenFilter);
  const params = new SqlParams();
  const where = filterConditions(filter, registry, params, schema);
  const unit = params.add(bucket);
  const { rows } = await pool.query<ActivityBucket>(
    `SELECT ${isoTime(`(date_trunc(${unit}, d.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`)} AS start,
            count(*) FILTER (WHERE d.operation = 'INSERT')::int AS "INSERT",
            count(*) FILTER (WHERE d.operation = 'UPDATE')::int AS "UPDATE",
            count(*) FILTER (WHERE d.operation = 'DELETE')::int AS "DELETE"
     FROM ${eventView(schema)} d ${whereClause(where)} GROUP BY 1 ORDER BY 1`, // the filters need no context join
    params.values,
  );
  return { bucket, buckets: rows };
}
