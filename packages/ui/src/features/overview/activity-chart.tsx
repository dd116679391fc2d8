import { hashKey, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { getActivity, type Activity, type ActivityBucket } from '../../api/get-activity';
import { OPERATIONS, type EventFilters } from '../../api/types';
import { Empty, ErrorState, Loading } from '../../components/status';
import { plural } from '../../lib/plural';
import { ActivityRange } from './activity-range';
import { ActivityTable } from './activity-table';
import { axisTicks, TICK_GAP } from './axis-ticks';
import { chartWindow, type ChartWindow, type Range } from './activity-window';
import { rememberedRange, rememberRange } from './chart-range-memory';

/** The chart's width in its own units when it is drawn at least this wide (it then scales up, text and all). */
const WIDTH = 800;
/** Narrower than this, the chart is drawn at this width and scaled down. */
const MIN_WIDTH = 240;
const HEIGHT = 160;

/**
 * The chart's width in its own units for the width it is drawn at (CSS pixels): the width itself up to WIDTH, so on a
 * narrow screen the axis labels keep their size (11 px) and fewer of them fit, instead of the whole 800-unit chart
 * shrinking to a phone's width with its labels (5 px tall at 375 px).
 */
export function chartWidth(rendered: number): number {
  return rendered > 0 ? Math.round(Math.min(WIDTH, Math.max(MIN_WIDTH, rendered))) : WIDTH;
}

/** The chart's width in its own units, following the width it is drawn at (chartWidth). */
function useChartWidth(svg: RefObject<SVGSVGElement | null>): number {
  const [width, setWidth] = useState(WIDTH);
  useLayoutEffect(() => {
    const element = svg.current;
    if (!element) return;
    const measure = () => setWidth(chartWidth(element.getBoundingClientRect().width));
    measure(); // before the first paint: no 800-unit chart flashes by on a phone
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [svg]);
  return width;
}
/** The tallest bar stops below the "max" label in the top right corner, so the label never sits on a bar (unreadable). */
const BAR_TOP = 16;

/**
 * A bucket's label. The API's buckets are UTC hours and UTC days, so they are labelled in UTC (and the chart says so):
 * in the browser's time zone the events of Dec 1 (UTC) would sit under "Nov 30" west of Greenwich.
 */
export function bucketLabel(start: string, bucket: 'hour' | 'day', locale?: string): string {
  const d = new Date(start);
  return bucket === 'day'
    ? d.toLocaleDateString(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' })
    : d.toLocaleString(locale, { weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });
}
const label = (start: string, bucket: 'hour' | 'day') => bucketLabel(start, bucket);

/**
 * Hides the axis labels that, as drawn, would still touch the one before them or run past the chart's edge: the
 * spacing (axis-ticks.ts) is worked out from an estimate of their width, and a font may be wider than it.
 */
function useNoOverlappingTicks(svg: RefObject<SVGSVGElement | null>, width: number) {
  useLayoutEffect(() => {
    const ticks = svg.current?.querySelectorAll<SVGTextElement>('text[data-tick]') ?? [];
    let end = -Infinity;
    for (const tick of ticks) {
      tick.removeAttribute('visibility');
      const box = tick.getBBox?.();
      if (!box || box.width === 0) continue; // not laid out (hidden page): nothing to compare
      if (box.x < end + TICK_GAP || box.x + box.width > width) tick.setAttribute('visibility', 'hidden');
      else end = box.x + box.width;
    }
  });
}

export function Bars({ buckets, bucket, drawnWidth }: { buckets: ActivityBucket[]; bucket: 'hour' | 'day'; drawnWidth?: number }) {
  const svg = useRef<SVGSVGElement | null>(null);
  const measured = useChartWidth(svg);
  const chart = drawnWidth === undefined ? measured : chartWidth(drawnWidth); // drawnWidth: as if drawn that wide (tests)
  const max = Math.max(1, ...buckets.map((b) => b.INSERT + b.UPDATE + b.DELETE));
  const width = chart / Math.max(buckets.length, 1);
  const ticks = axisTicks(buckets.map((b) => label(b.start, bucket)), chart);
  useNoOverlappingTicks(svg, chart);
  return (
    <svg ref={svg} viewBox={`0 0 ${chart} ${HEIGHT + 20}`} className="chart" role="img" aria-label={`Events per ${bucket} (UTC ${bucket}s), split by operation`}>
      <line x1={0} x2={chart} y1={HEIGHT} y2={HEIGHT} className="chart-axis" />
      {buckets.map((b, i) => {
        let y = HEIGHT;
        const total = b.INSERT + b.UPDATE + b.DELETE;
        return (
          <g key={b.start}>
            <title>{`${label(b.start, bucket)} UTC: ${plural(b.INSERT, 'insert')}, ${plural(b.UPDATE, 'update')}, ${plural(b.DELETE, 'delete')}`}</title>
            {OPERATIONS.map((op) => {
              const h = (b[op] / max) * (HEIGHT - BAR_TOP);
              y -= h;
              return h > 0 ? <rect key={op} x={i * width + width * 0.1} width={width * 0.8} y={y} height={h} className={`bar bar-${op.toLowerCase()}`} /> : null;
            })}
            {total === 0 && <rect x={i * width} width={width} y={0} height={HEIGHT} fill="transparent" />}
          </g>
        );
      })}
      {ticks.map((tick) => <text key={buckets[tick.index].start} data-tick="" x={tick.x} y={HEIGHT + 14} className="chart-tick">{tick.label}</text>)}
      <text x={chart - 4} y={12} textAnchor="end" className="chart-tick">max {max}</text>
    </svg>
  );
}

function summary(buckets: ActivityBucket[]): string {
  const sum = (op: 'INSERT' | 'UPDATE' | 'DELETE') => buckets.reduce((n, b) => n + b[op], 0);
  const count = plural;
  const total = sum('INSERT') + sum('UPDATE') + sum('DELETE');
  return `${count(total, 'change')} in this period: ${count(sum('INSERT'), 'insert')}, ${count(sum('UPDATE'), 'update')}, ${count(sum('DELETE'), 'delete')}.`;
}

/** Every bucket of the window, empty ones included (the API may list only buckets with events). */
function fillBuckets(buckets: ActivityBucket[], bucket: 'hour' | 'day', from: string, to: string): ActivityBucket[] {
  const step = bucket === 'hour' ? 3_600_000 : 86_400_000;
  const byStart = new Map(buckets.map((b) => [new Date(b.start).getTime(), b]));
  const first = Math.floor(new Date(from).getTime() / step) * step;
  const all: ActivityBucket[] = [];
  for (let t = first; t < new Date(to).getTime() && all.length < 2000; t += step) {
    all.push(byStart.get(t) ?? { start: new Date(t).toISOString(), INSERT: 0, UPDATE: 0, DELETE: 0 });
  }
  const covered = buckets.every((b) => all.some((a) => a === b));
  return covered ? all : buckets;
}

/**
 * The counts of the latest window of the same length the cache holds for these filters and bucket size (another
 * range, or another filter, shows its loading state as before). The chart's window ends with the
 * current hour, so an hour later it is another query; until that one's counts arrive, the last window's keep the
 * chart, and the feed below it, where they were (the loading placeholder is shorter: the feed would move down under a
 * reader who just came Back to their place in it).
 */
function latestWindow(client: QueryClient, filters: EventFilters, window: ChartWindow): Activity | undefined {
  const sameFilters = hashKey([filters]);
  const span = (from: string, to: string) => new Date(to).getTime() - new Date(from).getTime();
  let latest: { to: string; data: Activity } | undefined;
  for (const query of client.getQueryCache().findAll({ queryKey: ['activity'] })) {
    const [, queryFilters, from, to, bucket] = query.queryKey as [string, EventFilters, string, string, string];
    const data = query.state.data as Activity | undefined;
    if (!data || bucket !== window.bucket || span(from, to) !== span(window.from, window.to) || hashKey([queryFilters]) !== sameFilters) continue;
    if (!latest || to > latest.to) latest = { to, data };
  }
  return latest?.data;
}

/** Events per hour or day, split by operation, for the feed's filters (and its time window, when it has one). */
export function ActivityChart({ filters }: { filters: EventFilters }) {
  const [range, setRange] = useState<Range>(rememberedRange);
  const chooseRange = (next: Range) => {
    rememberRange(next);
    setRange(next);
  };
  // Memoised on the times alone: "now" is read once per window, so re-renders keep the query key (and its data).
  const { from, to } = filters;
  const window = useMemo(() => chartWindow({ from, to }, range), [from, to, range]);
  const { bucket } = window;
  const client = useQueryClient();
  const query = useQuery({
    queryKey: ['activity', filters, window.from, window.to, bucket],
    queryFn: ({ signal }) => getActivity({ ...filters, from: window.from, to: window.to }, bucket, signal),
    placeholderData: () => latestWindow(client, filters, window),
  });
  return (
    <section className="card chart-card" aria-labelledby="chart-title">
      <header className="section-header">
        <h2 id="chart-title">Activity</h2>
        <div className="legend" aria-hidden="true">
          {OPERATIONS.map((op) => <span key={op} className={`legend-item legend-${op.toLowerCase()}`}>{op.toLowerCase()}</span>)}
        </div>
        <ActivityRange window={window} range={range} onRange={chooseRange} />
      </header>
      {query.isPending ? <Loading label="Loading activity…" />
        : query.isError ? <ErrorState error={query.error} onRetry={() => query.refetch()} />
        : query.data.buckets.length === 0 ? <Empty>No activity in this period.</Empty>
        : (
          <>
            <Bars buckets={fillBuckets(query.data.buckets, query.data.bucket, window.from, window.to)} bucket={query.data.bucket} />
            <p className="chart-summary muted">{summary(query.data.buckets)} <span className="chart-zone">{query.data.bucket === 'day' ? 'Days' : 'Hours'} in UTC.</span></p>
            <ActivityTable buckets={query.data.buckets} bucket={query.data.bucket} />
          </>
        )}
    </section>
  );
}
