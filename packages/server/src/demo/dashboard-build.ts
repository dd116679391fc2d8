import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DASHBOARD_DIST_DIR, DASHBOARD_SOURCE_DIR } from '../package-paths.js';

/** packages/ui of this repository (the demo runs from it). */
const UI_DIR = DASHBOARD_SOURCE_DIR ?? '';
/** Where `vite build` writes the dashboard. */
const UI_DIST_DIR = DASHBOARD_DIST_DIR;

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the dashboard when it was never built or its sources changed since. Returns the directory to serve. */
export async function ensureDashboardBuild(write: (line: string) => void): Promise<string> {
  if (!DASHBOARD_SOURCE_DIR) return UI_DIST_DIR; // an installed package: its dashboard was built when it was packed
  const index = path.join(UI_DIST_DIR, 'index.html');
  const sources = [path.join(UI_DIR, 'src'), path.join(UI_DIR, 'index.html'), path.join(UI_DIR, 'vite.config.ts')];
  const sourceTime = Math.max(...sources.map((s) => (statSync(s).isDirectory() ? newestSourceTime(s) : statSync(s).mtimeMs)));
  if (existsSync(index) && statSync(index).mtimeMs >= sourceTime) return UI_DIST_DIR;
  write('Building the dashboard (packages/ui)...');
  const vite = path.join(UI_DIR, 'node_modules', '.bin', 'vite');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(vite, ['build', '--logLevel', 'warn'], { cwd: UI_DIR, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`building the dashboard failed (vite exited with ${code})`))));
  });
  return UI_DIST_DIR;
}
