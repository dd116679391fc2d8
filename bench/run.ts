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
import { parseArgs } from 'node:util';
import { benchOptions, type BenchOptions } from './bench-options.js';
import { openBenchServer } from './bench-database.js';
import type { BenchResults } from './bench-results.js';
import { renderReport } from './report-writer.js';
import { runBenchmarks, SECTIONS, type Section } from './run-benchmarks.js';

// Node's own parser, strict: an unknown flag (a misspelt --smoek) or a value in another form is refused before anything
// runs, rather than ignored into a full run that overwrites docs/benchmarks.md. Values as --out=path or --out path.
let parsed: ReturnType<typeof parseFlags>;
function parseFlags() {
  return parseArgs({
    options: {
      smoke: { type: 'boolean' }, only: { type: 'string' }, out: { type: 'string' }, json: { type: 'string' },
      render: { type: 'string' }, size: { type: 'string', multiple: true },
    },
    strict: true, allowPositionals: false,
  }).values;
}
try {
  parsed = parseFlags();
} catch (error) {
  console.error(`pnpm bench: ${(error as Error).message}\nflags: --smoke, --only=bulk,request,roundTrip,readSide, --out=path, --json=path, --render=path.json, --size=name=value (repeatable)`);
  process.exit(2);
}
const flag = (name: 'only' | 'out' | 'json' | 'render') => parsed[name];
const smoke = parsed.smoke === true || process.env.ROWTRAIL_BENCH_SMOKE === '1';
const only = flag('only')?.split(',') as Section[] | undefined;
const sizes = Object.fromEntries((parsed.size ?? []).map((given) => {
  const [name, value] = given.split('=');
  if (!(name in benchOptions(smoke)) || !Number.isFinite(Number(value))) throw new Error(`bad --size=${given}: use --size=<name>=<number>, names: ${Object.keys(benchOptions(smoke)).join(', ')}`);
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
