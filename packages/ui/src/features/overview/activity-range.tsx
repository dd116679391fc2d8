import { formatTime } from '../../lib/format';
import { RANGES, type ChartWindow, type Range } from './activity-window';

/**
 * The chart's Range control, truthful about the window shown: the usual "last …" choice; a length ending at the feed's
 * To filter; or, when the feed has a From filter, that window as text (the Range choice does not apply to it).
 */
export function ActivityRange({ window, range, onRange }: { window: ChartWindow; range: Range; onRange: (range: Range) => void }) {
  if (window.source === 'filter') {
    return (
      <p className="inline-field chart-range">
        <span>Range</span>
        <span className="chart-range-window">
          {formatTime(window.from)} – {window.endsNow ? 'now' : formatTime(window.to)} <span className="muted">(the feed's time filter)</span>
        </span>
      </p>
    );
  }
  return (
    <div className="inline-field chart-range">
      <label className="inline-field">
        <span>Range</span>
        <select value={range} onChange={(e) => onRange(e.target.value as Range)}>
          {(Object.keys(RANGES) as Range[]).map((r) => (
            <option key={r} value={r}>{window.source === 'to' ? RANGES[r].label : `last ${RANGES[r].label}`}</option>
          ))}
        </select>
      </label>
      {window.source === 'to' && <span className="chart-range-window">up to {formatTime(window.to)} <span className="muted">(the feed's To filter)</span></span>}
    </div>
  );
}
