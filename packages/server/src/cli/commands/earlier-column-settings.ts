import type pg from 'pg';
import { resolveSchemaOptions, type TrackedTableSpec } from '../../ddl/tracked-table-spec.js';
import { renamedTableSource } from '../../install/renamed-table-source.js';
import type { RegistryRow } from '../../lifecycle/registry-rows.js';
import { shellWord } from '../schema-option.js';

/**
 * What `install --table` kept from earlier installs, the exclusions whose column is gone, and those --record dropped, as
 * "schema.table.column".
 */
export interface EarlierColumnSettings {
  keptExclusions: string[];
  goneExclusions: string[];
  recordedExclusions: string[];
}

/**
 * Gives tables tracked before their earlier exclusions (installing one again, as status advises after a column change,
 * or after `untrack`, without repeating --exclude must not start recording a secret into append-only history), unless
 * --record names the column, and their ignored columns unless --ignore named the table (not after untrack, which forgets
 * those). Runs under the install lock, on the registry as it is then, so two installs at once cannot lose an exclusion.
 * An excluded column that is gone while the table has columns new since its install may have been renamed: refused,
 * nothing installed, unless --exclude or --record names every new column. `recorded`: the columns of --record by
 * "schema.table".
 */
export async function applyEarlierColumnSettings(
  client: pg.ClientBase, registry: ReadonlyMap<string, RegistryRow>, specs: TrackedTableSpec[], schema: string, ignoresGiven: ReadonlySet<string>,
  recorded: ReadonlyMap<string, readonly string[]> = new Map(),
): Promise<EarlierColumnSettings> {
  // a rename is found among the tables still tracked; a row untrack left declared by nobody keeps its exclusions for
  // its own name (its history is kept under it)
  const tracked = new Map([...registry].filter(([, row]) => row.declared_by !== null));
  const declared = new Set(specs.map((spec) => `${spec.schema}.${spec.table}`));
  const options = resolveSchemaOptions({ schema });
  const settings: EarlierColumnSettings = { keptExclusions: [], goneExclusions: [], recordedExclusions: [] };
  for (const spec of specs) {
    const name = `${spec.schema}.${spec.table}`;
    // a table renamed since keeps what it excluded under its old name (the install moves its history here)
    const before = registry.get(name) ?? tracked.get((await renamedTableSource(client, spec, options, declared, tracked))?.from ?? '');
    if (!before) continue;
    const record = recorded.get(name) ?? [];
    const has = (column: string) => spec.columns.some((c) => c.name === column);
    const gone = before.excluded.filter((c) => !has(c));
    if (gone.length > 0) refuseLikelyRename(name, spec, before, gone, record);
    const kept = before.excluded.filter((c) => has(c) && !spec.exclude.includes(c) && !record.includes(c));
    spec.exclude = [...spec.exclude, ...kept];
    if (!ignoresGiven.has(name) && before.declared_by !== null) spec.ignoreChanges = before.ignored.filter(has);
    settings.keptExclusions.push(...kept.map((c) => `${name}.${c}`));
    settings.goneExclusions.push(...gone.map((c) => `${name}.${c}`));
    settings.recordedExclusions.push(...before.excluded.filter((c) => has(c) && record.includes(c)).map((c) => `${name}.${c}`));
  }
  return settings;
}

function refuseLikelyRename(name: string, spec: TrackedTableSpec, before: RegistryRow, gone: string[], record: readonly string[]): void {
  const known = new Set([...before.columns.map((c) => c.name), ...before.excluded, ...(before.unrecorded ?? [])]);
  const added = spec.columns.map((c) => c.name).filter((c) => !known.has(c) && !spec.exclude.includes(c) && !record.includes(c));
  if (added.length === 0) return;
  const list = (names: string[]) => names.join(', ');
  const table = spec.schema === 'public' ? spec.table : name;
  const flags = (flag: string, columns: string[]) => columns.map((c) => ` ${flag} ${shellWord(`${table}.${c}`)}`).join('');
  const them = added.length === 1 ? 'it' : 'them';
  throw new Error(`--table ${name}: ${list(gone)}, which an earlier install excluded from history, ${gone.length === 1 ? 'is' : 'are'} no longer in the table, and ${list(added)} ${added.length === 1 ? 'is' : 'are'} new since that install (renamed?). `
    + `To keep ${them} out of history, add${flags('--exclude', added)}; to record ${them}, add${flags('--record', added)}. Nothing was installed`);
}
