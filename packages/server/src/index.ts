// Public API of @rowtrail/server: the TypeORM-free core plus the TypeORM adapter. Everything not exported
// here is internal.
export * from './core.js';

// TypeORM adapter.
export { Tracked, type TrackedOptions } from './typeorm/tracked-decorator.js';
export { withRowtrail, rowtrailDriver } from './typeorm/with-rowtrail.js';
export { RowtrailSubscriber } from './typeorm/rowtrail-subscriber.js';
export { installTracked } from './typeorm/install-tracked.js';
export { trackedTableSpecs } from './typeorm/entity-spec.js';
export { Protect, ReadOnly, SoftDelete, Versioned, FSM, Trigger } from './typeorm/protection-decorators.js';
export { protectedTableSpecs } from './typeorm/protection-specs.js';
export { trackedStatus, pruneTracked, planTrackedMigration, generateTrackedMigration, loadDataSource, type GenerateMigrationOptions } from './typeorm/tracked-lifecycle.js';
