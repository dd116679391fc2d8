// Public API of @rowtrail/server. Everything not exported here is internal.
export { run, currentContext, createContext, type ContextMetadata, type RequestContext } from './context/request-context.js';
export { MAX_CONTEXT_BYTES, RowtrailContextError } from './context/context-comment.js';
export { contextMiddleware, type ContextMiddlewareOptions } from './context/express-middleware.js';
export { createContextDriver, type ContextDriverOptions } from './context/pg-context-driver.js';

export { buildCaptureDdl, buildDropCaptureDdl, type CaptureDdl } from './ddl/capture-ddl.js';
export { defaultSnapshotTableName, type RowtrailSchemaOptions, type TrackedColumn, type TrackedTableSpec } from './ddl/tracked-table-spec.js';
export { install, type InstallResult } from './install/installer.js';
export { uninstall } from './install/uninstaller.js';
export type { Queryable } from './install/database-client.js';

export { Tracked, type TrackedOptions } from './typeorm/tracked-decorator.js';
export { withRowtrail, rowtrailDriver } from './typeorm/with-rowtrail.js';
export { RowtrailSubscriber } from './typeorm/rowtrail-subscriber.js';
export { installTracked } from './typeorm/install-tracked.js';
export { trackedTableSpecs } from './typeorm/entity-spec.js';

export { startDatabase, type DatabaseHandle } from './database/start-database.js';
