import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.dirname(fileURLToPath(import.meta.url));
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/gm;

/** Every module reachable from `entry` through its imports (type-only imports included): local files and packages. */
function reachable(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = match[1] ?? match[2] ?? match[3];
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  };
  visit(path.join(SRC, entry));
  return { files, packages };
}

describe('@rowtrail/server/core', () => {
  it('reaches no TypeORM code: services that only read or serve history need not load it', () => {
    const { files, packages } = reachable('core.ts');
    expect([...packages].filter((p) => p === 'typeorm' || p === 'reflect-metadata')).toEqual([]);
    expect([...files].filter((f) => f.includes(`${path.sep}typeorm${path.sep}`)).map((f) => path.relative(SRC, f))).toEqual([]);
  });

  it('the package root exports the core and the TypeORM adapter', async () => {
    const root = await import('./index.js');
    const core = await import('./core.js');
    for (const name of Object.keys(core)) expect(root).toHaveProperty(name);
    expect(root).toHaveProperty('withRowtrail');
    expect(core).not.toHaveProperty('withRowtrail');
    expect(reachable('index.ts').packages.has('typeorm')).toBe(true); // the walk does see TypeORM where it is
  });
});
