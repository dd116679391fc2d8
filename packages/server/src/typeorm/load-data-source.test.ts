import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataSource } from './tracked-lifecycle.js';

// The modules a user's --data-source points at, written as CommonJS so they load without a TypeScript loader.
const typeorm = createRequire(import.meta.url).resolve('typeorm');
const dir = mkdtempSync(path.join(tmpdir(), 'rowtrail-data-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function moduleFile(name: string, body: string): string {
  const file = path.join(dir, `${name}.cjs`);
  writeFileSync(file, `const { DataSource } = require(${JSON.stringify(typeorm)});\n${body}\n`);
  return file;
}
const dataSource = (database: string) => `new DataSource({ type: 'postgres', url: 'postgres://127.0.0.1:5432/${database}' })`;
const databaseOf = async (file: string) => ((await loadDataSource(file)).options as { url?: string }).url;

describe('loadDataSource', () => {
  it('takes the one DataSource a module exports, named or as the module itself, also exported under two names', async () => {
    expect(await databaseOf(moduleFile('named', `exports.appDataSource = ${dataSource('app')};`))).toMatch(/\/app$/);
    expect(await databaseOf(moduleFile('whole', `module.exports = ${dataSource('whole')};`))).toMatch(/\/whole$/);
    expect(await databaseOf(moduleFile('aliased', `const ds = ${dataSource('one')}; exports.ds = ds; exports.dataSource = ds;`))).toMatch(/\/one$/);
  });

  it('refuses a module exporting several DataSources, naming them, rather than picking one by export order', async () => {
    const file = moduleFile('two', `exports.zeta = ${dataSource('zeta')}; exports.alpha = ${dataSource('alpha')};`);
    await expect(loadDataSource(file)).rejects.toThrow(/exports 2 TypeORM DataSources \((alpha, zeta|zeta, alpha)\); point at a module that exports only the one to use/);
  });

  it('says so when a module exports no DataSource', async () => {
    await expect(loadDataSource(moduleFile('none', `exports.config = { type: 'postgres' };`))).rejects.toThrow(/exports no TypeORM DataSource/);
  });
});
