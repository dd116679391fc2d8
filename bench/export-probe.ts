// Child process of the read-side benchmark: exports diffs through Rowtrail's
// export API and reports throughput and this process's peak memory (maxRSS),
// so the figure is the export's own footprint, not the benchmark runner's.
import pg from 'pg';
import { prepareExport } from '../packages/server/src/export/diff-export.js';

const [url, from, to] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 2 });
const baselineRss = process.memoryUsage().rss;
const prepared = await prepareExport(pool, { kind: 'filter', filter: { tables: ['public.read_item'], from, to } });
const started = performance.now();
let lines = 0;
let bytes = 0;
// The stream yields Buffers, as a file or an HTTP response would take them: count bytes and lines in them
// directly rather than decoding every chunk back to a string, work a real consumer does not do.
for await (const chunk of prepared.stream('ndjson') as AsyncIterable<Buffer>) {
  bytes += chunk.length;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
}
const seconds = (performance.now() - started) / 1000;
await pool.end();
// every line an event but the header and the end line
process.stdout.write(JSON.stringify({ diffs: lines - 2, bytes, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, baselineRssMb: baselineRss / 2 ** 20 }));
