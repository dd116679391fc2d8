import type pg from 'pg';
import { resolveSchemaOptions, type TrackedTableSpec } from '../../ddl/tracked-table-spec.js';
import { renamedTableSource } from '../../install/renamed-table-source.js';
import type { RegistryRow } from '../../lifecycle/registry-rows.js';

/** What `install --table` kept from earlier installs, and the exclusions whose column is gone, as "schema.table.column". */
export interface EarlierColumnSettings {
  keptExclusions: string[];
  goneExclusions: string[];
}

/**
 * Gives tables tracked before their earlier exclusions (installing one again, as status advises after a column change,
 * without repeating --exclude must not start recording a secret into append-only history), and their ignored columns
 * unless --ignore named the table. Runs under the install lock, on the registry as it is then, so two installs at once
 * cannot lose an exclusion. An excluded column that is gone while the table has columns new since its install may have
 * been renamed: refused, nothing installed, unless --exclude names every new column (untrack the table to start afresh).
 */
export async function applyEarlierColumnSettings(
  client: pg.ClientBase, registry: ReadonlyMap<string, RegistryRow>, specs: TrackedTableSpec[], schema: string, ignoresGiven: ReadonlySet<string>,
): Promise<EarlierColumnSettings> {
  // not the rows untrack left declared by nobody: untracking forgets the table's settings
  const previous = new Map([...registry].filter(([, row]) => row.declared_by !== null));
  const declared = new Set(specs.map((spec) => `${spec.schema}.${spec.table}`));
  const options = resolveSchemaOptions({ schema });
  const settings: EarlierColumnSettings = { keptExclusions: [], goneExclusions: [] };
  for (const spec of specs) {
    const name = `${spec.schema}.${spec.table}`;
    // a table renamed since keeps what it excluded under its old name (the install moves its history here)
    const before = previous.get(name) ?? previous.get((await renamedTableSource(client, spec, options, declared, previous))?.from ?? '');
    if (!before) continue;
    const has = (column: string) => spec.columns.some((c) => c.name === column);
    const gone = before.excluded.filter((c) => !has(c));
    if (gone.length > 0) refuseLikelyRename(name, spec, before, gone);
    const kept = before.excluded.filter((c) => has(c) && !spec.exclude.includes(c));
    spec.exclude = [...spec.exclude, ...kept];
    if (!ignoresGiven.has(name)) spec.ignoreChanges = before.ignored.filter(has);
    settings.keptExclusions.push(...kept.map((c) => `${name}.${c}`));
    settings.goneExclusions.push(...gone.map((c) => `${name}.${c}`));
  }
  return settings;
}

function refuseLikelyRename(name: string, spec: TrackedTableSpec, before: RegistryRow, gone: string[]): void {
  const known = new Set([...before.columns.map((c) => c.name), ...before.excluded, ...(before.unrecorded ?? [])]);
  const added = spec.columns.map((c) => c.name).filter((c) => !known.has(c) && !spec.exclude.includes(c));
  if (added.length === 0) return;
  const list = (names: string[]) => names.join(', ');
  const table = spec.schema === 'public' ? spec.table : name;
  const flags = (columns: string[]) => columns.map((c) => ` --exclude ${table}.${c}`).join('');
  // untrack forgets every exclusion: those whose columns are still there must be given again
  const still = [...new Set([...spec.exclude, ...before.excluded.filter((c) => spec.columns.some((x) => x.name === c))])];
  throw new Error(`--table ${name}: ${list(gone)}, which an earlier install excluded from history, ${gone.length === 1 ? 'is' : 'are'} no longer in the table, and ${list(added)} ${added.length === 1 ? 'is' : 'are'} new since that install (renamed?). `
    + `To keep ${added.length === 1 ? 'it' : 'them'} out of history, add${flags(added)}; to record ${added.length === 1 ? 'it' : 'them'}, run rowtrail untrack ${name} first (its history is kept), `
    + `then rowtrail install --table ${name}${flags(still)}${still.length > 0 ? ` (untrack forgets its exclusions: give again those to keep)` : ''}. Nothing was installed`);
}
