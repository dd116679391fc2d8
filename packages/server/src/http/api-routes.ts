import type { Readable } from 'node:stream';
import type pg from 'pg';
import { prepareExport } from '../export/diff-export.js';
import { CONTENT_TYPES, type ExportSelection } from '../export/export-format.js';
import { activityBuckets } from '../query/activity-buckets.js';
import { activityFeedWith } from '../query/activity-feed.js';
import { compareVersionsWith } from '../query/compare-versions.js';
import { contextChangesWith } from '../query/context-changes.js';
import { RAW_CODEC } from '../query/event-rows.js';
import { invalidParameter } from '../query/query-errors.js';
import { recordHistoryWith } from '../query/record-history.js';
import { recordStateAtWith } from '../query/record-state.js';
import { trackedTablesSummary } from '../query/tracked-tables-summary.js';
import { parseQuery, schemas, toEventFilter, type RawQuery } from './request-params.js';
import { ServiceUnavailableError, type ExportSlots } from './export-slots.js';
import type { LinkSigner } from './signed-export-link.js';

export type ApiResult =
  | { status: number; body: unknown; headers?: Record<string, string> }
  | { status: number; stream: Readable; headers: Record<string, string> };

export interface RouteContext {
  pool: pg.Pool;
  /** Where export downloads take their long-lived connection, and how many may stream at once. */
  exportPool: pg.Pool;
  exportSlots: ExportSlots;
  /** The longest a download may stream (ApiOptions.maxExportSeconds). */
  maxExportSeconds: number;
  schema: string;
  query: RawQuery;
  /** Path parameters, e.g. {id} of /api/contexts/:id. */
  params: Record<string, string>;
  /** The query as received (for signing download links). */
  search: URLSearchParams;
  signer: LinkSigner;
  /** Where the API is mounted (e.g. "/admin/history"), for links. */
  basePath: string;
}

type Route = { pattern: RegExp; names: string[]; handle: (ctx: RouteContext) => Promise<ApiResult> };

const json = (body: unknown): ApiResult => ({ status: 200, body });

/**
 * The API's routes (paths relative to the mount point), each validating its query before querying.
 * Events travel as PostgreSQL's JSON text (RAW_CODEC), written into the response unchanged: exact numbers.
 */
export const API_ROUTES: Route[] = [
  route('/api/tables', async ({ pool, schema, query }) => {
    parseQuery(schemas.none, query);
    return json({ tables: await trackedTablesSummary(pool, { schema }) });
  }),
  route('/api/events', async ({ pool, schema, query }) => {
    const p = parseQuery(schemas.events, query, { meta: true });
    return json(await activityFeedWith(RAW_CODEC, pool, toEventFilter(p), { schema, limit: p.limit, cursor: p.cursor }));
  }),
  route('/api/activity', async ({ pool, schema, query }) => {
    const p = parseQuery(schemas.activity, query, { meta: true });
    return json(await activityBuckets(pool, toEventFilter(p), { schema, bucket: p.bucket }));
  }),
  route('/api/history', async ({ pool, schema, query }) => {
    const p = parseQuery(schemas.history, query);
    return json(await recordHistoryWith(RAW_CODEC, pool, p.table, p.key, { schema, order: p.order, limit: p.limit, cursor: p.cursor, movedAway: true }));
  }),
  route('/api/state', async ({ pool, schema, query }) => {
    const p = parseQuery(schemas.state, query);
    return json(await recordStateAtWith(RAW_CODEC, pool, p.table, p.key, p.at, { schema }));
  }),
  route('/api/compare', async ({ pool, schema, query }) => {
    const p = parseQuery(schemas.compare, query);
    return json(await compareVersionsWith(RAW_CODEC, pool, p.table, p.key, p.from, p.to, { schema }));
  }),
  route('/api/contexts/:id', async ({ pool, schema, query, params }) => {
    const p = parseQuery(schemas.context, query);
    return json(await contextChangesWith(RAW_CODEC, pool, params.id, { schema, limit: p.limit, cursor: p.cursor }));
  }),
  route('/api/export', async ({ pool, exportPool, exportSlots, maxExportSeconds, schema, query }) => {
    const p = parseQuery(schemas.export, query, { meta: true });
    const encoding = p.format ?? 'json';
    const exported = await prepareExport(pool, exportSelection(p), { schema, streamPool: exportPool });
    const giveBack = exportSlots.tryTake();
    if (!giveBack) throw tooManyExports(exportSlots);
    let stream: Readable;
    try {
      stream = await exported.open(encoding); // takes the connection now: a full pool is a 503, not a cut download
    } catch (error) {
      giveBack();
      throw error;
    }
    stream.once('close', giveBack);
    // its snapshot holds back VACUUM in the whole database for as long as the client reads: cut off at the limit
    const limit = setTimeout(() => {
      stream.destroy(new Error(`Rowtrail: the export download ran for ${maxExportSeconds} s, the most this server allows (maxExportSeconds); it was cut off`));
    }, maxExportSeconds * 1000);
    limit.unref();
    stream.once('close', () => clearTimeout(limit));
    return {
      status: 200,
      stream,
      headers: {
        'content-type': CONTENT_TYPES[encoding],
        'content-disposition': `attachment; filename="${exported.fileName(encoding)}"`,
        'cache-control': 'no-store',
      },
    };
  }),
  route('/api/export/link', async ({ pool, exportSlots, schema, query, search, signer, basePath }) => {
    const p = parseQuery(schemas.export, query, { meta: true });
    await prepareExport(pool, exportSelection(p), { schema }); // refuse a bad selection now, not at download time
    // A browser follows the link as a download, and a 503 then is a cancelled download its page never hears of: say it
    // now, while the page can show why (a slot may still be taken by the time the link is followed, rarely).
    if (exportSlots.inUse >= exportSlots.limit) throw tooManyExports(exportSlots);
    const { query: signed, expiresAt } = signer.sign(search, basePath);
    return json({ url: `${basePath}/api/export?${signed}`, expiresAt: expiresAt.toISOString() });
  }),
];

const tooManyExports = (slots: ExportSlots) =>
  new ServiceUnavailableError('too_many_exports', `${slots.limit} export download(s) are already streaming, the most this server allows at once; retry shortly`);

/** A record export (table + key), a request export (contextId alone), or a filter export. */
function exportSelection(p: ReturnType<typeof parseQuery<typeof schemas.export>>): ExportSelection {
  const filter = toEventFilter(p);
  const given = Object.entries(filter).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (p.key !== undefined) {
    if (p.table?.length !== 1) throw invalidParameter('table', 'a record export (key) needs exactly one table');
    const extra = given.filter((k) => k !== 'tables');
    if (extra.length) throw invalidParameter('key', `a record export cannot be combined with filter parameters (${extra.join(', ')})`);
    return { kind: 'record', table: p.table[0], key: p.key };
  }
  if (given.length === 1 && filter.contextId !== undefined) return { kind: 'context', contextId: filter.contextId };
  return { kind: 'filter', filter };
}

function route(path: string, handle: Route['handle']): Route {
  const names: string[] = [];
  const pattern = new RegExp(`^${path.replace(/:([a-z]+)/gi, (_, name: string) => (names.push(name), '([^/]+)'))}/?$`);
  return { pattern, names, handle };
}

/** The route matching a path, with its decoded path parameters. */
export function matchRoute(pathname: string): { route: Route; params: Record<string, string> } | undefined {
  for (const candidate of API_ROUTES) {
    const match = candidate.pattern.exec(pathname);
    if (!match) continue;
    const params: Record<string, string> = {};
    candidate.names.forEach((name, i) => {
      try {
        params[name] = decodeURIComponent(match[i + 1]);
      } catch {
        throw invalidParameter(name, 'is not valid percent-encoding');
      }
    });
    return { route: candidate, params };
  }
  return undefined;
}
