import { OPERATIONS } from '../query/event-types.js';

/** OpenAPI 3.1 description of the HTTP API, served at GET /api/openapi.json. Kept in step with docs/http-api.md. */
export function openApiDocument(): Record<string, unknown> {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const q = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }, required = false) => ({ name, in: 'query', required, description, schema });
  const jsonKey = (name: string, required: boolean, description = 'JSON object of the primary key, e.g. {"id":5}') =>
    q(name, description, { type: 'string', contentMediaType: 'application/json' }, required);
  const many = (item: Record<string, unknown>) => ({ oneOf: [item, { type: 'array', items: item }] });
  const page = [q('limit', 'Page size, 1–1000 (default 50)', { type: 'integer', minimum: 1, maximum: 1000 }), q('cursor', 'nextCursor of the previous page (opaque)')];
  const filters = [
    q('table', 'Tracked table ("schema.table"; "table" means public); repeatable', many({ type: 'string' })),
    q('operation', 'INSERT, UPDATE or DELETE; repeatable', many({ enum: OPERATIONS })),
    q('user', 'Context metadata "user"'), q('requestId', 'Context metadata "requestId"'),
    q('dbUser', 'Database user (session_user) of writes made without application context (psql, migrations)'),
    q('contextId', 'Context id', { type: 'string', format: 'uuid' }),
    { name: 'meta', in: 'query', style: 'deepObject', description: 'meta.<key>=<value>: any context metadata key', schema: { type: 'object', additionalProperties: { type: 'string' } } },
    jsonKey('recordKey', false, 'JSON object of the primary key of one record, or of some of its columns (every record whose key has those values), e.g. {"id":5}; needs one table'),
    q('changed', 'A recorded column of the one table; repeatable: only UPDATEs that changed any of them', many({ type: 'string' })),
    q('from', 'Events at or after (ISO 8601)', { type: 'string', format: 'date-time' }),
    q('to', 'Events before (ISO 8601)', { type: 'string', format: 'date-time' }),
    q('after', 'Watermark (an earlier export\'s header "watermark"): only events committed after that export\'s snapshot', { type: 'string', pattern: '^\\d+:\\d+:(\\d+(,\\d+)*)?$' }),
  ];
  const ok = (schema: Record<string, unknown>, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
  const errors = {
    400: { description: 'Invalid parameter', content: { 'application/json': { schema: ref('Error') } } },
    401: { description: 'Missing or wrong bearer token', content: { 'application/json': { schema: ref('Error') } } },
    404: { description: 'Unknown table, record version, context or path', content: { 'application/json': { schema: ref('Error') } } },
    500: { description: "The API's database role lacks a privilege it needs (permission_denied), or an internal error (internal_error, logged on the server)", content: { 'application/json': { schema: ref('Error') } } },
    503: {
      description: 'Rowtrail is not installed in the database (not_installed), no database connection is free (unavailable), or too many exports stream at once (too_many_exports); the last two carry Retry-After',
      headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } },
      content: { 'application/json': { schema: ref('Error') } },
    },
  };
  const get = (summary: string, parameters: unknown[], response: unknown, secured = true) =>
    ({ get: { summary, parameters, responses: { 200: response, ...errors }, ...(secured ? {} : { security: [] }) } });
  const eventPage = (item: string) => ok({ type: 'object', required: ['events', 'nextCursor'], properties: { events: { type: 'array', items: ref(item) }, nextCursor: { type: ['string', 'null'] } } });
  const nullable = (type: string) => ({ type: [type, 'null'] });
  const obj = { type: 'object', additionalProperties: true };

  return {
    openapi: '3.1.0',
    info: { title: 'Rowtrail history API', version: '1', description: 'Row-level history of tracked PostgreSQL tables. See docs/http-api.md.' },
    security: [{ bearer: [] }],
    paths: {
      '/api/tables': get('Tracked tables with event counts (estimated on large tables) and last change', [], ok({ type: 'object', properties: { tables: { type: 'array', items: ref('TrackedTable') } } })),
      '/api/events': get('Activity feed across tables, newest first', [...filters, ...page], eventPage('DiffEvent')),
      '/api/activity': get('Event counts per hour or day and operation, oldest first', [...filters, q('bucket', 'Bucket size (default day)', { enum: ['hour', 'day'] })],
        ok({ type: 'object', properties: { bucket: { enum: ['hour', 'day'] }, buckets: { type: 'array', items: { type: 'object', properties: { start: { type: 'string', format: 'date-time' }, INSERT: { type: 'integer' }, UPDATE: { type: 'integer' }, DELETE: { type: 'integer' } } } } } })),
      '/api/history': get('Every version of one record', [q('table', 'Tracked table', { type: 'string' }, true), jsonKey('key', true), q('order', 'desc (default) or asc', { enum: ['asc', 'desc'] }), ...page], eventPage('HistoryEvent')),
      '/api/state': get('A record as of an instant', [q('table', 'Tracked table', { type: 'string' }, true), jsonKey('key', true), q('at', 'Instant (ISO 8601)', { type: 'string', format: 'date-time' }, true)],
        ok({ type: 'object', properties: { exists: { type: 'boolean' }, event: { oneOf: [ref('HistoryEvent'), { type: 'null' }] } } })),
      '/api/compare': get('Difference between two versions of a record', [q('table', 'Tracked table', { type: 'string' }, true), jsonKey('key', true), q('from', 'Event id', { type: 'string', pattern: '^\\d+$' }, true), q('to', 'Event id', { type: 'string', pattern: '^\\d+$' }, true)],
        ok({ type: 'object', properties: { from: ref('HistoryEvent'), to: ref('HistoryEvent'), changes: { type: 'object', additionalProperties: { type: 'array', minItems: 2, maxItems: 2 } } } })),
      '/api/contexts/{id}': get('Everything one request (context) changed, oldest first', [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }, ...page],
        ok({ type: 'object', properties: { context: ref('Context'), events: { type: 'array', items: ref('DiffEvent') }, nextCursor: nullable('string') } })),
      '/api/export': get('Streamed export of diffs (docs/export-format.md): a record (table+key), a request (contextId) or a filter. Authorized by the bearer token, or by expires+signature from /api/export/link', [q('format', 'json (default) or ndjson', { enum: ['json', 'ndjson'] }), jsonKey('key', false), ...filters, q('expires', 'from /api/export/link'), q('signature', 'from /api/export/link')],
        { description: 'The export, streamed as a download (Content-Disposition: attachment)', content: { 'application/json': { schema: { type: 'object' } }, 'application/x-ndjson': { schema: { type: 'string' } } } }),
      '/api/export/link': get('A signed, 60-second download link for /api/export with the same parameters (for browsers: no header, no token in the URL)', [q('format', 'json (default) or ndjson', { enum: ['json', 'ndjson'] }), jsonKey('key', false), ...filters],
        ok({ type: 'object', required: ['url', 'expiresAt'], properties: { url: { type: 'string', description: 'path of the download, including the mount point' }, expiresAt: { type: 'string', format: 'date-time' } } })),
      '/api/openapi.json': get('This document', [], ok({ type: 'object' }), false),
      '/api/health': get('Liveness', [], ok({ type: 'object', properties: { ok: { const: true }, version: { type: 'string' } } }), false),
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, parameter: { type: 'string' }, auth: { type: 'string', enum: ['token', 'application'], description: 'On a 401: the API wants its bearer token (token), or the application embedding it refused the request (application)' } } } } },
        Context: {
          type: 'object',
          properties: { id: { type: 'string', format: 'uuid' }, user: { type: ['string', 'number', 'null'] }, requestId: nullable('string'), method: nullable('string'), url: nullable('string'), metadata: obj, dbUser: { type: 'string' }, applicationName: nullable('string'), createdAt: { type: 'string', format: 'date-time' } },
        },
        DiffEvent: {
          type: 'object',
          properties: {
            eventId: { type: 'string', pattern: '^\\d+$' }, table: { type: 'string' }, recordKey: obj,
            recordKeyText: { type: 'string', contentMediaType: 'application/json', description: 'recordKey as exact JSON text (for links: JSON parsers may round big numbers)' },
            oldRecordKey: { oneOf: [obj, { type: 'null' }] },
            operation: { enum: OPERATIONS }, changes: obj, label: nullable('string'), txid: { type: 'string', pattern: '^\\d+$' },
            createdAt: { type: 'string', format: 'date-time' }, context: { oneOf: [ref('Context'), { type: 'null' }] },
          },
        },
        HistoryEvent: {
          allOf: [ref('DiffEvent'), {
            type: 'object',
            properties: {
              snapshot: obj,
              movedAway: { const: true, description: 'only in /api/history: an update that moved a record\'s key away from `key` (recordKey the new key, oldRecordKey `key`), listed where it happened: the boundary between two records that had the key, not a version; the events after it (newest first) are of the record that left' },
            },
          }],
        },
        TrackedTable: {
          type: 'object',
          properties: {
            table: { type: 'string' }, snapshotTable: { type: 'string' }, primaryKey: { type: 'array', items: { type: 'string' } },
            columns: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, type: { type: 'string' } } } },
            events: { type: ['number', 'null'], description: 'null when readError' }, eventsEstimated: { type: 'boolean' }, lastChangeAt: { type: ['string', 'null'], format: 'date-time' },
            recording: { type: 'boolean', description: 'whether the table\'s changes are recorded now (its capture triggers present and firing)' },
            readError: { type: 'string', description: 'present when the table\'s history could not be read (the API\'s role may not read its history table, or it is gone): what PostgreSQL said' },
          },
        },
      },
    },
  };
}
