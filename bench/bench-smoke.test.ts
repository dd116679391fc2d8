// CI's smoke run of `pnpm bench`: tiny sizes, one trial, every section, so the
// benchmark code keeps working. Included from packages/server/vitest.config.ts.
// It checks that every section ran and the report renders; it asserts no timing.
import { describe, expect, inject, it } from 'vitest';
import { renderReport } from './report-writer.js';
import { runBenchmarks } from './run-benchmarks.js';
import { targetChecks } from './targets.js';

describe('pnpm bench --smoke', () => {
  it('runs every section on real PostgreSQL and renders the report', async () => {
    const results = await runBenchmarks({ serverUrl: inject('databaseUrl'), embedded: false, smoke: true });
    expect(results.bulk?.checks.rowtrail).toMatch(/history rows .* context rows/);
    expect(results.bulk?.checks.limit).toMatch(/history rows .* context rows/);
    expect(results.request?.cases).toHaveLength(5);
    // the instruction counts ran, and each variant's statements left what its capture writes (valgrind: .ci/run installs
    // it); only a server given by DATABASE_URL may have no binaries here (another machine, or another user's process)
    const instructions = results.request?.instructions;
    if (instructions && 'unavailable' in instructions && process.env.DATABASE_URL) expect(instructions.unavailable).toMatch(/binar|major version/);
    else if (!instructions || 'unavailable' in instructions) throw new Error(`instructions not counted: ${JSON.stringify(instructions)}`);
    else expect(instructions.checks).toEqual({
      untracked: '25 UPDATEs: 0 history rows, 0 context rows, 0 audit rows',
      classic: '25 UPDATEs: 0 history rows, 0 context rows, 25 audit rows',
      emptyCapture: '25 UPDATEs: 0 history rows, 0 context rows, 0 audit rows',
      historyInsertOnly: '25 UPDATEs: 25 history rows, 0 context rows, 0 audit rows',
      trackedKnownContext: '25 UPDATEs: 25 history rows, 1 context rows, 0 audit rows',
      tracked: '25 UPDATEs: 25 history rows, 25 context rows, 0 audit rows',
      trackedWithoutHistoryIndexes: '25 UPDATEs: 25 history rows, 25 context rows, 0 audit rows',
      trackedWithoutContextIndexes: '25 UPDATEs: 25 history rows, 25 context rows, 0 audit rows',
      trackedTimeOnlyBrin: '25 UPDATEs: 25 history rows, 25 context rows, 0 audit rows',
    });
    expect(results.roundTrip?.cases.map((c) => c.chunksPerOp.tracked)).toEqual(results.roundTrip?.cases.map((c) => c.chunksPerOp.untracked));
    expect(results.readSide?.export.diffs).toBeGreaterThan(0);
    const checks = targetChecks(results);
    expect(checks.length).toBeGreaterThanOrEqual(15); // 16 when Chromium can measure the dashboard
    expect(checks.every((c) => Number.isFinite(c.value))).toBe(true);
    const report = renderReport(results);
    for (const heading of ['## Summary', '## 1. Bulk', '## 2. Request', '## 3. Context round trips', '## 4. Read side']) expect(report).toContain(heading);
  }, 300_000);
});
