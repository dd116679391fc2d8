// Builds what the package tarball ships: dist/ (the compiled library and CLI, with type declarations),
// a copy of the repository's sql/ and docs/, and the dashboard built beside it (src/package-paths.ts finds
// them there once installed). Run by `pnpm pack` / `pnpm publish`.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../', import.meta.url));
const repositoryDir = path.resolve(packageDir, '..', '..');
const uiDir = path.join(repositoryDir, 'packages', 'ui');

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`prepack: ${path.basename(command)} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

for (const dir of ['dist', 'sql', 'ui', 'docs']) rmSync(path.join(packageDir, dir), { recursive: true, force: true });
// npm shows the package's README and license: the repository's; its docs/ too, which the README and the CLI's help refer to
for (const file of ['README.md', 'LICENSE']) cpSync(path.join(repositoryDir, file), path.join(packageDir, file));
cpSync(path.join(repositoryDir, 'docs'), path.join(packageDir, 'docs'), { recursive: true });
run(path.join(packageDir, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], packageDir);

const sqlFiles = readdirSync(path.join(repositoryDir, 'sql')).filter((f) => f.endsWith('.sql'));
if (sqlFiles.length === 0) throw new Error(`prepack: no .sql files in ${path.join(repositoryDir, 'sql')}`);
for (const file of sqlFiles) cpSync(path.join(repositoryDir, 'sql', file), path.join(packageDir, 'sql', file));

// straight into the package (not packages/ui/dist, which a running demo or benchmark may be serving)
const packedUi = path.join(packageDir, 'ui');
run(path.join(uiDir, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn', '--outDir', packedUi, '--emptyOutDir'], uiDir);
if (!existsSync(path.join(packedUi, 'index.html'))) throw new Error('prepack: the dashboard build wrote no index.html');
