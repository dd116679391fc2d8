import type { BenchResults } from './bench-results.js';
import { trialRatio } from './ratios.js';
import { median } from './stats.js';

export interface TargetCheck {
  measure: string;
  value: number;
  unit: 'x' | 'ms' | 'diffs/s' | 'MB';
  /** "max": value must be ≤ limit; "min": value must be ≥ limit. */
  kind: 'max' | 'min';
  limit: number;
  /** The same ratio in server backend CPU time, when measured (bulk writes). */
  cpuValue?: number;
}

export const met = (t: TargetCheck): boolean => (t.kind === 'max' ? t.value <= t.limit : t.value >= t.limit);

/** How far a missed target is, in words; empty when met. */
export function gap(t: TargetCheck): string {
  if (met(t)) return '';
  const percent = t.kind === 'max' ? (t.value / t.limit - 1) * 100 : (1 - t.value / t.limit) * 100;
  // a miss under 1% keeps a decimal: "0% over the target" read as no miss at all
  return `${percent.toFixed(percent < 1 ? 1 : 0)}% ${t.kind === 'max' ? 'over' : 'under'} the target`;
}

/** The targets, evaluated on a run's results. */
export function targetChecks(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const bulk = results.bulk;
  if (bulk) {
    const r = (op: 'INSERT' | 'UPDATE' | 'DELETE', b: 'limit' | 'classic') => trialRatio(bulk.times[op].rowtrail, bulk.times[op][b]);
    const cpu = (op: 'INSERT' | 'UPDATE' | 'DELETE', b: 'limit' | 'classic') => (bulk.cpuTimes ? trialRatio(bulk.cpuTimes[op].rowtrail, bulk.cpuTimes[op][b]) : undefined);
    checks.push({ measure: 'Bulk UPDATE: Rowtrail ÷ physical limit (d)', value: r('UPDATE', 'limit'), cpuValue: cpu('UPDATE', 'limit'), unit: 'x', kind: 'max', limit: 1.15 });
    checks.push({ measure: 'Bulk UPDATE: Rowtrail ÷ classic audit trigger (c)', value: r('UPDATE', 'classic'), cpuValue: cpu('UPDATE', 'classic'), unit: 'x', kind: 'max', limit: 1.0 });
    checks.push({ measure: 'Bulk INSERT: Rowtrail ÷ physical limit (d)', value: r('INSERT', 'limit'), cpuValue: cpu('INSERT', 'limit'), unit: 'x', kind: 'max', limit: 1.1 });
    checks.push({ measure: 'Bulk DELETE: Rowtrail ÷ physical limit (d)', value: r('DELETE', 'limit'), cpuValue: cpu('DELETE', 'limit'), unit: 'x', kind: 'max', limit: 1.1 });
  }
  for (const c of results.request?.cases ?? []) {
    checks.push({
      measure: `${c.name} @${c.clients} client${c.clients > 1 ? 's' : ''}: tracked ÷ untracked throughput`,
      value: trialRatio(c.opsPerSecond.tracked, c.opsPerSecond.untracked), unit: 'x', kind: 'min', limit: c.name.startsWith('SQL') ? 0.75 : 0.85,
    });
  }
  for (const c of results.roundTrip?.cases ?? []) {
    checks.push({
      measure: `${c.name} with +${results.roundTrip!.delayMs} ms each way: tracked ÷ untracked latency`,
      value: trialRatio(c.blockMedians.tracked, c.blockMedians.untracked), unit: 'x', kind: 'max', limit: 1.1,
    });
  }
  const read = results.readSide;
  if (read) {
    const n = read.shape.events.toLocaleString('en-US');
    checks.push({ measure: `Record history page p99 (${n} events)`, value: read.recordHistory.p99, unit: 'ms', kind: 'max', limit: 5 });
    checks.push({ measure: `Activity feed page p99 (${n} events)`, value: read.feedPage.p99, unit: 'ms', kind: 'max', limit: 20 });
    checks.push({ measure: `Export throughput (${read.export.diffs.toLocaleString('en-US')} diffs)`, value: read.export.diffsPerSecond, unit: 'diffs/s', kind: 'min', limit: 100_000 });
    if (read.dashboard.measured) {
      checks.push({ measure: `Dashboard: time to first visible diff, ${read.shape.longVersions.toLocaleString('en-US')}-version record (median)`, value: read.dashboard.timing.median, unit: 'ms', kind: 'max', limit: 1000 });
    }
    checks.push({ measure: `Export peak memory (${read.export.diffs.toLocaleString('en-US')} diffs, whole process)`, value: read.export.peakRssMb, unit: 'MB', kind: 'max', limit: 150 });
  }
  return checks;
}

export function formatValue(value: number, unit: TargetCheck['unit']): string {
  if (unit === 'x') return `${value.toFixed(2)}×`;
  if (unit === 'ms') return Number.isInteger(value) ? `${value.toLocaleString('en-US')} ms` : `${value.toFixed(value >= 100 ? 0 : 2)} ms`;
  if (unit === 'MB') return `${value.toFixed(0)} MB`;
  return `${Math.round(value).toLocaleString('en-US')} diffs/s`;
}

export { median };
