import type { DataSource, EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import { postgresIdentifier } from '../ddl/identifier-name.js';
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

/**
 * The columns of an entity that exist in its table, once each by database name: its own columns, the join
 * columns TypeORM adds for relations (`customerId` of `@ManyToOne() customer`, which TypeORM marks virtual),
 * the single-table-inheritance discriminator (virtual too) and, on the root entity of single-table
 * inheritance, every child entity's columns. Left out: `@VirtualColumn`s (computed by a query, not stored).
 */
export function tableColumnsOf(metadata: EntityMetadata): ColumnMetadata[] {
  const seen = new Set<string>();
  return metadata.columns.filter((c) => {
    if (c.isVirtualProperty || seen.has(c.databaseName)) return false;
    seen.add(c.databaseName);
    return true;
  });
}

/** A named property of an entity that has columns in its table: a column, or a relation with its join columns. */
interface NamedProperty {
  path: string;
  name: string;
  columns: ColumnMetadata[];
}

function namedProperties(metadata: EntityMetadata): NamedProperty[] {
  const columns = tableColumnsOf(metadata);
  const inTable = new Set(columns);
  // a relation's implicit join column is named through its relation (its own propertyPath is "customer.id")
  const properties: NamedProperty[] = columns
    .filter((c) => !(c.isVirtual && c.relationMetadata))
    .map((c) => ({ path: c.propertyPath, name: c.propertyName, columns: [c] }));
  for (const relation of metadata.relations) {
    const joinColumns = relation.joinColumns.filter((c) => inTable.has(c));
    if (joinColumns.length > 0) properties.push({ path: relation.propertyPath, name: relation.propertyName, columns: joinColumns });
  }
  return properties;
}

/**
 * The database columns a name written on an entity means (in `@Tracked` exclude / ignoreChanges and in
 * protection fields), or undefined when it names nothing. Looked up, first match wins:
 * 1. a property path: `email`, `work.secret` (a column of an embedded), `customer` (a relation: its join
 *    columns), `work` (an embedded object: all of its columns);
 * 2. a property name inside embedded objects: `secret` when only one embedded has it; a name that several
 *    properties share (`home.secret` and `work.secret`) is refused with an error listing their paths, so a
 *    column is never left out of (or kept in) history by a guess;
 * 3. a database column name: `pw_hash`, `customerId`.
 */
export function columnsNamed(metadata: EntityMetadata, name: string, where: string): string[] | undefined {
  const properties = namedProperties(metadata);
  const databaseNames = (matches: NamedProperty[]) => [...new Set(matches.flatMap((p) => p.columns.map((c) => c.databaseName)))];
  const byPath = properties.filter((p) => p.path === name || p.path.startsWith(`${name}.`));
  if (byPath.length > 0) return databaseNames(byPath);
  const byName = properties.filter((p) => p.name === name);
  if (byName.length > 1) {
    const candidates = byName.map((p) => `"${p.path}" (${p.columns.map((c) => c.databaseName).join(', ')})`).join(', ');
    throw new Error(`Rowtrail: ${where} on ${metadata.name} names "${name}", which is the name of several properties: ${candidates}; name each one you mean by its path (or the embedded object, for all of its columns)`);
  }
  if (byName.length === 1) return databaseNames(byName);
  const byColumn = tableColumnsOf(metadata).filter((c) => c.databaseName === name);
  if (byColumn.length > 0) return [name];
  return undefined;
}

/**
 * Names as PostgreSQL keeps them: one longer than 63 bytes is cut there, between characters (NAMEDATALEN). TypeORM
 * sends an entity's long table and column names uncut, and PostgreSQL cuts them in every statement, so its queries
 * work; the catalog (which status, prune and install compare with) has only the cut name, which is the table's.
 */
const keptName = postgresIdentifier;
const keptNames = (columns: ColumnMetadata[]) => columns.map((c) => keptName(c.databaseName));

/** The database columns of each name (columnsNamed, as PostgreSQL keeps them), de-duplicated, refusing names of no column. */
function columnNames(metadatas: EntityMetadata[], names: string[] | undefined, option: string): string[] {
  const where = `@Tracked(${option})`;
  const result = new Set<string>();
  for (const name of names ?? []) {
    const found = metadatas.map((m) => columnsNamed(m, name, where)).filter((c): c is string[] => c !== undefined);
    if (found.length === 0) {
      throw new Error(`Rowtrail: ${where} on ${metadatas.map((m) => m.name).join(' / ')} names "${name}", which is not a column of it`);
    }
    for (const column of found.flat()) result.add(keptName(column));
  }
  return [...result];
}

function specColumns(metadata: EntityMetadata, normalizeType: (c: ColumnMetadata) => string): TrackedColumn[] {
  return tableColumnsOf(metadata).map((c) => ({ name: keptName(c.databaseName), type: snapshotColumnType(c, normalizeType) }));
}

/**
 * Whether two entities of one table ask for the same capture: their options compared by the columns they
 * resolve to (in any order, by property or by column name), not by how they are written.
 */
function sameOptions(a: { metadata: EntityMetadata; options: TrackedOptions }, b: { metadata: EntityMetadata; options: TrackedOptions }): boolean {
  const canonical = ({ metadata, options }: { metadata: EntityMetadata; options: TrackedOptions }) => JSON.stringify([
    columnNames([metadata], options.exclude, 'exclude').sort(),
    columnNames([metadata], options.ignoreChanges, 'ignoreChanges').sort(),
    options.label ?? 'snapshot',
    [...options.manyToMany ?? []].sort(),
  ]);
  return a.options === b.options || canonical(a) === canonical(b);
}

/**
 * The schema of an entity that names none: the DataSource's `schema`, else the schema TypeORM itself uses for such
 * tables, the connection's current schema (the first schema of its search_path that exists, which TypeORM reads when
 * it connects): with a `search_path` of `app` in the connection options, or a schema named after the login role
 * (PostgreSQL's default search_path starts with "$user"), TypeORM's tables are there, not in public. `public` only
 * for a DataSource that has not connected.
 */
export function defaultEntitySchema(dataSource: DataSource): string {
  return (dataSource.options as { schema?: string }).schema ?? (dataSource.driver as { schema?: string } | undefined)?.schema ?? 'public';
}

/**
 * Entity metadatas grouped by the table they are stored in (schema.table, as PostgreSQL keeps the names: keptName), in
 * first-seen order. Single-table inheritance maps a root entity and its child entities to one table, and two entities
 * may name one table.
 */
export function metadatasByTable(dataSource: DataSource): Array<{ schema: string; table: string; metadatas: EntityMetadata[] }> {
  const defaultSchema = defaultEntitySchema(dataSource);
  const groups = new Map<string, { schema: string; table: string; metadatas: EntityMetadata[] }>();
  for (const m of dataSource.entityMetadatas) {
    if (m.tableType === 'view') continue;
    const schema = keptName(m.schema ?? defaultSchema);
    const table = keptName(m.tableName);
    const key = JSON.stringify([schema, table]);
    const group = groups.get(key) ?? { schema, table, metadatas: [] };
    group.metadatas.push(m);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * Specs of every @Tracked entity of a DataSource (initialised or with metadata built): one per table. A table
 * of single-table inheritance is specified from its root entity, whose metadata lists every child's columns;
 * child entities inherit the root's @Tracked. Entities that share a table must agree on their @Tracked
 * options (or leave them off): two different option sets for one table are refused, naming both entities.
 */
/** What declared each spec trackedTableSpecs() made, for errors about its table ("the join table of Article.tags"). */
const SPEC_ORIGINS = new WeakMap<TrackedTableSpec, string>();
export const specOrigin = (spec: TrackedTableSpec): string | undefined => SPEC_ORIGINS.get(spec);

export function trackedTableSpecs(dataSource: DataSource): TrackedTableSpec[] {
  const normalizeType = (c: ColumnMetadata) => dataSource.driver.normalizeType(c);
  const declaring: Array<{ metadatas: EntityMetadata[]; options: TrackedOptions }> = [];
  const entitySpecs = metadatasByTable(dataSource).flatMap(({ schema, table, metadatas }) => {
    const tracked = metadatas
      .map((m) => ({ metadata: m, options: trackedOptionsOf(m.target) }))
      .filter((t): t is { metadata: EntityMetadata; options: TrackedOptions } => t.options !== undefined);
    if (tracked.length === 0) return [];
    const first = tracked[0];
    const other = tracked.find((t) => !sameOptions(t, first));
    if (other) {
      throw new Error(`Rowtrail: entities ${first.metadata.name} and ${other.metadata.name} are both stored in table ${schema}.${table} but have different @Tracked options; `
        + 'a table has one capture: declare @Tracked once (on the root entity of single-table inheritance) or give both the same options');
    }
    // the entities that own the table's columns: every entity but the child entities of single-table inheritance
    const owners = metadatas.filter((m) => m.tableType !== 'entity-child');
    const sources = owners.length > 0 ? owners : metadatas;
    const primaryKey = keptNames(sources[0].primaryColumns);
    for (const m of sources.slice(1)) {
      const key = keptNames(m.primaryColumns);
      if (JSON.stringify(key) !== JSON.stringify(primaryKey)) {
        throw new Error(`Rowtrail: entities ${sources[0].name} and ${m.name} are both stored in table ${schema}.${table} but declare different primary keys (${primaryKey.join(', ')} / ${key.join(', ')})`);
      }
    }
    const columns = new Map<string, TrackedColumn>();
    for (const m of sources) for (const c of specColumns(m, normalizeType)) if (!columns.has(c.name)) columns.set(c.name, c);
    const { options } = first;
    declaring.push({ metadatas, options });
    const spec: TrackedTableSpec = {
      schema,
      table,
      primaryKey,
      columns: [...columns.values()],
      exclude: columnNames(sources, options.exclude, 'exclude'),
      ignoreChanges: columnNames(sources, options.ignoreChanges, 'ignoreChanges'),
      label: options.label ?? 'snapshot',
    };
    SPEC_ORIGINS.set(spec, `the table of entity ${tracked.map((t) => t.metadata.name).join(' / ')}`);
    return [spec];
  });
  const joinTables = joinTableSpecs(dataSource, declaring, normalizeType);
  for (const join of joinTables) {
    if (entitySpecs.some((e) => e.schema === join.schema && e.table === join.table)) {
      throw new Error(`Rowtrail: table ${join.schema}.${join.table} is both a @Tracked entity's table and a join table named in @Tracked(manyToMany); track it one way`);
    }
  }
  return [...entitySpecs, ...joinTables];
}

/**
 * Specs of the join tables of the many-to-many relations that @Tracked entities name in `manyToMany`, one per
 * table (both sides of a relation may name it): every column of the join table, keyed by its primary key. A name is
 * looked up on every entity of the declaring table (the root of single-table inheritance names its children's).
 */
function joinTableSpecs(
  dataSource: DataSource, declaring: Array<{ metadatas: EntityMetadata[]; options: TrackedOptions }>, normalizeType: (c: ColumnMetadata) => string,
): TrackedTableSpec[] {
  const defaultSchema = defaultEntitySchema(dataSource);
  const specs = new Map<string, { spec: TrackedTableSpec; declaredOn: string }>();
  for (const { metadatas, options } of declaring) {
    const declaredOn = metadatas.map((m) => m.name).join(' / ');
    for (const name of options.manyToMany ?? []) {
      const relation = metadatas.flatMap((m) => m.relations).find((r) => r.propertyPath === name && r.isManyToMany);
      const junction = relation ? relation.junctionEntityMetadata ?? relation.inverseRelation?.junctionEntityMetadata : undefined;
      if (!junction) {
        const known = [...new Set(metadatas.flatMap((m) => m.relations).filter((r) => r.isManyToMany).map((r) => `"${r.propertyPath}"`))];
        throw new Error(`Rowtrail: @Tracked(manyToMany) on ${declaredOn} names "${name}", which is not a many-to-many relation of it`
          + ` (${known.length > 0 ? `its many-to-many relations: ${known.join(', ')}` : 'it has none'})`);
      }
      const spec: TrackedTableSpec = {
        schema: keptName(junction.schema ?? defaultSchema),
        table: keptName(junction.tableName),
        primaryKey: keptNames(junction.primaryColumns),
        columns: specColumns(junction, normalizeType),
        exclude: [],
        ignoreChanges: [],
        label: options.label ?? 'snapshot',
      };
      const key = `${spec.schema}.${spec.table}`;
      const earlier = specs.get(key);
      if (earlier && earlier.spec.label !== spec.label) {
        throw new Error(`Rowtrail: join table ${key} is named in @Tracked(manyToMany) of ${earlier.declaredOn} and of ${declaredOn}, whose labels differ ("${earlier.spec.label}", "${spec.label}"); a table has one capture: give both the same label`);
      }
      if (!earlier) {
        specs.set(key, { spec, declaredOn });
        SPEC_ORIGINS.set(spec, `the join table of ${declaredOn}.${name} (@Tracked manyToMany)`);
      }
    }
  }
  return [...specs.values()].map((s) => s.spec);
}
