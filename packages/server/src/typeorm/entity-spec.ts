import type { DataSource, EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import type { TrackedColumn, TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { trackedOptionsOf, type TrackedOptions } from './tracked-decorator.js';

/** Snapshot column type of an entity column: its type without length limits, enums as text (so enum migrations never depend on history). */
export function snapshotColumnType(column: ColumnMetadata, normalizeType: (c: ColumnMetadata) => string): string {
  const array = column.isArray ? '[]' : '';
  if (column.type === 'enum' || column.type === 'simple-enum' || column.enum) return `text${array}`;
  const type = normalizeType(column);
  if (type === 'character varying' || type === 'varchar') return `character varying${array}`;
  if (type === 'character' || type === 'char') return `bpchar${array}`;
  if (type === 'numeric' || type === 'decimal') {
    if (column.precision != null && column.scale != null) return `numeric(${column.precision},${column.scale})${array}`;
    if (column.precision != null) return `numeric(${column.precision})${array}`;
  }
  if (/^(timestamp|time)/.test(type) && column.precision != null) return `${type.replace(/^(timestamp|time)/, `$1(${column.precision})`)}${array}`;
  return `${type}${array}`;
}

function columnNames(metadata: EntityMetadata, names: string[] | undefined, option: string): string[] {
  return (names ?? []).map((name) => {
    const column = metadata.columns.find((c) => c.propertyName === name || c.databaseName === name);
    if (!column) throw new Error(`Rowtrail: @Tracked(${option}) on ${metadata.name} names "${name}", which is not a column of it`);
    return column.databaseName;
  });
}

/** A TrackedTableSpec from one entity's metadata. Pure: needs built metadata, not a connection. */
export function entityTableSpec(metadata: EntityMetadata, options: TrackedOptions, normalizeType: (c: ColumnMetadata) => string): TrackedTableSpec {
  const columns: TrackedColumn[] = metadata.columns
    .filter((c) => !c.isVirtual && !c.isVirtualProperty)
    .map((c) => ({ name: c.databaseName, type: snapshotColumnType(c, normalizeType) }));
  return {
    schema: metadata.schema ?? 'public',
    table: metadata.tableName,
    primaryKey: metadata.primaryColumns.map((c) => c.databaseName),
    columns,
    exclude: columnNames(metadata, options.exclude, 'exclude'),
    ignoreChanges: columnNames(metadata, options.ignoreChanges, 'ignoreChanges'),
    label: options.label ?? 'snapshot',
  };
}

/** Specs of every @Tracked entity of a DataSource (initialised or with metadata built). */
export function trackedTableSpecs(dataSource: DataSource): TrackedTableSpec[] {
  const normalizeType = (c: ColumnMetadata) => dataSource.driver.normalizeType(c);
  const defaultSchema = (dataSource.options as { schema?: string }).schema ?? 'public';
  return dataSource.entityMetadatas
    .filter((m) => m.tableType !== 'view')
    .flatMap((m) => {
      const options = trackedOptionsOf(m.target);
      if (!options) return [];
      const spec = entityTableSpec(m, options, normalizeType);
      return [{ ...spec, schema: m.schema ?? defaultSchema }];
    });
}
