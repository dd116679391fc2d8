// Public API of @rowtrail/server without the TypeORM adapter (`@rowtrail/server/core`): context,
// capture DDL, installer, queries, export, HTTP API, protections DDL and lifecycle on a plain pg Pool.
// Nothing reachable from here imports TypeORM (core-entry.test.ts checks it).
export { run, runOutsideContext, bindContext, currentContext, createContext, createLiveContext, type ContextMetadata, type RequestContext } from './context/request-context.js';
export { MAX_CONTEXT_BYTES, RowtrailContextError } from './context/context-comment.js';
export { contextMiddleware, type ContextMiddlewareOptions } from './context/express-middleware.js';
export { createContextDriver, type ContextDriverOptions } from './context/pg-context-driver.js';

export { buildCaptureDdl, buildDropCaptureDdl, type CaptureDdl } from './ddl/capture-ddl.js';
export { defaultSnapshotTableName, type RowtrailSchemaOptions, type TrackedColumn, type TrackedTableSpec } from './ddl/tracked-table-spec.js';
export { install, type InstallResult, type InstallOptions } from './install/installer.js';
export { InstallStatementError } from './install/statement-error.js';
export { ColumnMismatchError } from './install/trackable-table.js';
export type { TableColumnMismatch, MismatchedType } from './install/table-column-mismatch.js';
export { uninstall, type UninstallResult } from './install/uninstaller.js';
export type { Queryable } from './install/database-client.js';


export { startDatabase, type DatabaseHandle, type StartDatabaseOptions } from './database/start-database.js';

// History queries (TypeORM-free: a pg Pool is all they need).
export { recordHistory, type RecordHistoryOptions } from './query/record-history.js';
export { activityFeed, type ActivityFeedOptions } from './query/activity-feed.js';
export { recordStateAt, type RecordState } from './query/record-state.js';
export { compareVersions, type VersionComparison } from './query/compare-versions.js';
export { parseJsonExact } from './query/exact-json.js';
export { contextChanges, type ContextChanges, type ContextChangesOptions } from './query/context-changes.js';
export { trackedTablesSummary, type TrackedTableSummary } from './query/tracked-tables-summary.js';
export { activityBuckets, type ActivityBucket, type BucketSize } from './query/activity-buckets.js';
export type { EventFilter } from './query/event-filter.js';
export type { Page } from './query/event-cursor.js';
export type { DiffEvent, HistoryEvent, EventContext, Operation } from './query/event-types.js';
export type { QueryOptions } from './query/tracked-table-registry.js';
export { RowtrailQueryError, RowtrailNotInstalledError } from './query/query-errors.js';

// Streamed export of diffs.
export { prepareExport, type PreparedExport, type ExportOptions, type ExportStream } from './export/diff-export.js';
export { EXPORT_FORMAT, EXPORT_VERSION, ExportFormatError, parseExport, type DiffExport, type ExportEnd, type ExportHeader, type ExportSelection, type ExportEncoding } from './export/export-format.js';

// HTTP API.
export { createApiHandler, type ApiOptions } from './http/api-handler.js';
export type { ApiResult } from './http/api-routes.js';
export { writeApiResult } from './http/node-response.js';
export { rowtrailRouter, type RowtrailMiddleware, type RowtrailRouterOptions } from './http/express-router.js';
export { rowtrailFastifyPlugin, type RowtrailFastifyOptions } from './http/fastify-plugin.js';
export { startServer, type ServerOptions, type RunningServer } from './http/standalone-server.js';
export { bearerTokenAuthorizer, generateToken, type Authorize } from './http/bearer-token.js';
export { openApiDocument } from './http/openapi-document.js';

// Protections, scoped ignore and append-only history.
export { ignore, ignoredProtections } from './protections/ignore.js';
export { ProtectionError, protectionErrorOf, mapProtectionError, PROTECTION_SQLSTATE, type ProtectionDetail } from './protections/protection-error.js';
export { buildProtectionDdl, buildProtectionsDdl } from './protections/protection-ddl.js';
export { buildHistoryAppendOnlyDdl } from './protections/history-append-only-ddl.js';
export type { ProtectedTableSpec, ProtectionSpec, ProtectedOperation } from './protections/protection-spec.js';
export type { TriggerGroupDdl } from './protections/trigger-group.js';

// Lifecycle: status, prune, untrack, retention, drift, generated migrations.
export { status, type RowtrailStatus, type StatusEntry, type StatusOptions, type ObjectState } from './lifecycle/status.js';
export { databaseStatus } from './lifecycle/database-status.js';
export { prune, type PruneOptions } from './lifecycle/prune.js';
export { untrack, type UntrackOptions, type UntrackResult } from './lifecycle/untrack.js';
export { trimHistory, type TrimHistoryOptions, type TrimHistoryResult, type TrimmedTable } from './lifecycle/trim-history.js';
export { TrimOptionError } from './lifecycle/trim-cutoff.js';
export { planMigration, type MigrationPlan } from './lifecycle/migration-plan.js';
export { renderMigrationFile, type MigrationFileOptions } from './lifecycle/migration-file.js';
export type { HistoryDrift, RetypedColumn } from './lifecycle/history-drift.js';
