import { formatAgo, formatTime } from '../lib/format';

/**
 * When a change was made: the exact time with its time zone (the browser's), then how long ago. The exact time is
 * shown, not only in a tooltip: touch and keyboard users cannot hover.
 */
export function EventTime({ at }: { at: string }) {
  return <span className="when"><time dateTime={at}>{formatTime(at)}</time> <span className="ago">({formatAgo(at)})</span></span>;
}
