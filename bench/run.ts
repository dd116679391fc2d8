// `pnpm bench`: runs every benchmark section against real PostgreSQL
// (DATABASE_URL, else an embedded server) and writes docs/benchmarks.md.
//   --smoke            tiny sizes, one trial (what CI runs); writes to a temp file unless --out is given
//   --only=bulk,request,roundTrip,readSide
//   --out=path         where to write the report
//   --json=path        also write the raw results
//   --render=path.json re-render the report from results saved with --json (no measuring)
//   --size=name=value  override one size of bench-options.ts (repeatable), e.g. --size=bulkTrials=3
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchOptions, type BenchOptions } from './bench-options.js';
import { openBenchServer } from './bench-database.js';
import type { BenchResults } from './bench-results.js';
import { renderReport } from './report-writer.js';
import { runBenchmarks, SECTIONS, type Section } from './run-benchmarks.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const smoke = args.includes('--smoke') || process.env.ROWTRAIL_BENCH_SMOKE === '1';
const only = flag('only')?.split(',') as Section[] | undefined;
const sizes = Object.fromEntries(args.filter((a) => a.startsWith('--size=')).map((a) => {
  const [name, value] = a.slice('--size='.length).split('=');
  if (!(name in benchOptions(smoke)) || !Number.isFinite(Number(value))) throw new Error(`bad ${a}: use --size=<name>=<number>, names: ${Object.keys(benchOptions(smoke)).join(', ')}`);
  return [name, Number(value)];
})) as Partial<BenchOptions>;
for (const section of only ?? []) {
  if (!SECTIONS.includes(section)) throw new Error(`unknown section "${section}"; use ${SECTIONS.join(', ')}`);
}
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const out = flag('out') ?? (smoke ? path.join(os.tmpdir(), 'rowtrail-benchmarks-smoke.md') : path.join(repoRoot, 'docs', 'benchmarks.md'));

const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const saved = flag('render');
if (saved) {
  writeFileSync(out, renderReport(JSON.parse(readFileSync(saved, 'utf8')) as BenchResults));
  log(`report rendered from ${saved} to ${out}`);
  process.exit(0);
}
const server = await openBenchServer(log);
try {
  const results = await runBenchmarks({ serverUrl: server.url, embedded: server.embedded, smoke, sections: only, sizes, log });
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, renderReport(results));
  const json = flag('json');
  if (json) writeFileSync(json, JSON.stringify(results, null, 2));
  log(`report written to ${out}`);
} finally {
  await server.stop();
}
