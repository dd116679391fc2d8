import type { DataSource, EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import type { ProtectedTableSpec, ProtectionSpec } from '../protections/protection-spec.js';
import { postgresIdentifier } from '../ddl/identifier-name.js';
import { columnsNamed, defaultEntitySchema, snapshotColumnType, tableColumnsOf } from './entity-spec.js';
import { protectionDeclarationsOf, type ProtectionDeclaration } from './protection-decorators.js';

/** The database columns of a field name, looked up as @Tracked names are (columnsNamed: path, property name, column name). */
function columnNames(metadata: EntityMetadata, name: string, where: string): string[] {
  const columns = columnsNamed(metadata, name, where);
  if (!columns) throw new Error(`Rowtrail: ${where} on ${metadata.name} names "${name}", which is not a column of it`);
  return columns;
}

/** The one database column of a field (soft delete, versioned, FSM): a name of several columns is refused. */
function columnName(metadata: EntityMetadata, name: string, where: string): string {
  const columns = columnNames(metadata, name, where);
  if (columns.length !== 1) throw new Error(`Rowtrail: ${where} on ${metadata.name} names "${name}", which has ${columns.length} columns (${columns.join(', ')}); it needs one column`);
  return columns[0];
}

/**
 * The columns a @ReadOnly keeps: those its `fields` name, or, with `exclude`, every column of the entity but those and
 * its stored generated columns (their values follow the others': a writable column's change changes them).
 */
function readOnlyColumns(metadata: EntityMetadata, d: Extract<ProtectionDeclaration, { kind: 'read_only' }>, where: string): string[] {
  if ((d.fields === undefined) === (d.exclude === undefined)) {
    throw new Error(`Rowtrail: ${where} on ${metadata.name}: @ReadOnly takes fields (the read-only ones) or exclude (the writable ones), ${d.fields === undefined ? 'neither was given' : 'not both'}`);
  }
  if (d.fields !== undefined) return [...new Set(d.fields.flatMap((f) => columnNames(metadata, f, where)))];
  const writable = new Set(d.exclude!.flatMap((f) => columnNames(metadata, f, where)));
  const kept = tableColumnsOf(metadata).filter((c) => !c.generatedType && !writable.has(c.databaseName)).map((c) => c.databaseName);
  if (kept.length === 0) throw new Error(`Rowtrail: ${where} on ${metadata.name}: @ReadOnly's exclude leaves no column read-only; remove the protection instead`);
  return kept;
}

function toSpec(metadata: EntityMetadata, d: ProtectionDeclaration): ProtectionSpec {
  const where = `protection "${d.name}"`;
  switch (d.kind) {
    case 'read_only': return { kind: 'read_only', name: d.name, fields: readOnlyColumns(metadata, d, where) };
    case 'soft_delete': return { ...d, field: columnName(metadata, d.field, where) };
    case 'versioned': {
      const field = columnName(metadata, d.field, where);
      // TypeORM writes "version = version + 1" itself on every save(), which the versioned guard refuses as an edit
      if (metadata.versionColumn?.databaseName === field) {
        throw new Error(`Rowtrail: ${where} on ${metadata.name}: @Versioned field "${d.field}" is a TypeORM @VersionColumn, which TypeORM increments itself on every save() and the versioned guard would refuse, so every write would fail; use a plain integer column with @Versioned, or @VersionColumn alone`);
      }
      return { ...d, field };
    }
    case 'fsm': {
      const field = columnName(metadata, d.field, where);
      // a state the enum does not have (a typo) makes its transitions never match: refused before anything is installed
      // (not an array of an enum: its states are array texts such as '{a,b}')
      const column = metadata.columns.find((c) => c.databaseName === field);
      const labels = column && !column.isArray ? column.enum?.map(String) : undefined;
      const unknown = labels ? [...new Set(d.transitions.flat().filter((state) => typeof state === 'string' && !labels.includes(state)))] : [];
      if (unknown.length > 0) {
        throw new Error(`Rowtrail: ${where} on ${metadata.name}: ${unknown.map((v) => JSON.stringify(v)).join(', ')} ${unknown.length === 1 ? 'is not a value' : 'are not values'} of the enum of "${d.field}" (${labels!.join(', ')})`);
      }
      return { ...d, field };
    }
    default: return d;
  }
}

/**
 * A protection is a trigger on a table, so on a child entity of single-table inheritance it would act on every row of
 * the shared table, of every sibling entity too (a Memo could no longer be deleted because Invoice is @Protect'ed).
 * Refused, naming the root to declare it on; the root's own protections, which children inherit, are the table's.
 */
function refuseChildOnlyProtections(metadata: EntityMetadata, declared: ProtectionDeclaration[], all: EntityMetadata[], defaultSchema: string): void {
  if (metadata.tableType !== 'entity-child') return;
  // the entity of the inheritance tree that owns the table (inheritanceTree: the class, then its parent classes)
  const root = all.find((m) => m.tableType !== 'entity-child' && metadata.inheritanceTree.includes(m.target as Function));
  const inherited = new Set(root ? protectionDeclarationsOf(root.target) : []);
  const own = declared.filter((d) => !inherited.has(d));
  if (own.length === 0) return;
  const rootName = root?.name ?? 'the root entity';
  const discriminator = root?.discriminatorColumn?.databaseName;
  throw new Error(`Rowtrail: protection "${own[0].name}" on ${metadata.name}, a child entity of ${rootName} (single-table inheritance): `
    + `a protection acts on every row of table ${metadata.schema ?? defaultSchema}.${metadata.tableName}, also those of ${rootName}'s other entities; `
    + `declare it on ${rootName}${discriminator ? ` (a condition on "${discriminator}", where the protection takes one, limits it to ${metadata.name}'s rows)` : ''}`);
}

/** Protected tables of a DataSource's entities (initialised or with metadata built). */
export function protectedTableSpecs(dataSource: DataSource): ProtectedTableSpec[] {
  const defaultSchema = defaultEntitySchema(dataSource);
  const normalizeType = (c: ColumnMetadata) => dataSource.driver.normalizeType(c);
  return dataSource.entityMetadatas
    .filter((m) => m.tableType !== 'view')
    .flatMap((m) => {
      const declared = protectionDeclarationsOf(m.target);
      if (declared.length === 0) return [];
      refuseChildOnlyProtections(m, declared, dataSource.entityMetadatas, defaultSchema);
      return [{
        // as PostgreSQL keeps a name longer than 63 bytes (cut there), so status finds the table's triggers
        schema: postgresIdentifier(m.schema ?? defaultSchema),
        table: postgresIdentifier(m.tableName),
        primaryKey: m.primaryColumns.map((c) => c.databaseName),
        protections: declared.map((d) => toSpec(m, d)),
        // types decide how fields are compared (json, xml, point: as text)
        columns: tableColumnsOf(m).map((c) => ({ name: c.databaseName, type: snapshotColumnType(c, normalizeType), ...(c.generatedType ? { generated: true } : {}) })),
      }];
    });
}
