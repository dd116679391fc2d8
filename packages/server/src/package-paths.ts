import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the files Rowtrail reads at run time live. In this repository: its `sql/`, the dashboard built by
 * packages/ui, and `.rowtrail/` at its root. Installed from the package tarball: the copies of `sql/` and of
 * the built dashboard that packing puts beside `dist/` (see scripts/prepack.mjs), and `.rowtrail/` in the
 * working directory. This file sits one level below the package folder both as src/ and as dist/.
 */
const PACKAGE_DIR = fileURLToPath(new URL('../', import.meta.url));
const REPOSITORY_DIR = path.resolve(PACKAGE_DIR, '..', '..');

/**
 * True when running from the repository (sources or a local build), not from an installed package. The package
 * tarball ships no src/: a copy of it at packages/server of some other pnpm workspace is not this repository.
 */
export const IN_REPOSITORY = path.resolve(REPOSITORY_DIR, 'packages', 'server') === path.resolve(PACKAGE_DIR)
  && existsSync(path.join(REPOSITORY_DIR, 'pnpm-workspace.yaml'))
  && existsSync(path.join(PACKAGE_DIR, 'src', 'package-paths.ts'))
  && existsSync(path.join(REPOSITORY_DIR, 'sql'));

/** The directory of SQL that Rowtrail installs, with a trailing separator. */
export const SQL_DIR = path.join(IN_REPOSITORY ? REPOSITORY_DIR : PACKAGE_DIR, 'sql') + path.sep;

/** The built dashboard (index.html and assets); it may not exist (in the repository before `vite build`). */
export const DASHBOARD_DIST_DIR = IN_REPOSITORY ? path.join(REPOSITORY_DIR, 'packages', 'ui', 'dist') : path.join(PACKAGE_DIR, 'ui');

/** packages/ui of the repository (the dashboard's sources), or undefined in an installed package. */
export const DASHBOARD_SOURCE_DIR = IN_REPOSITORY ? path.join(REPOSITORY_DIR, 'packages', 'ui') : undefined;

/** The folder for local state (embedded clusters): `.rowtrail/` at the repository's root, or in the working directory. */
export const LOCAL_STATE_DIR = IN_REPOSITORY ? path.join(REPOSITORY_DIR, '.rowtrail') : path.resolve('.rowtrail');
