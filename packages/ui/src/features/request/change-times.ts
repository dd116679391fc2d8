/** An instant to the whole second, as the page shows times (lib/format formatTime). */
const second = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

/**
 * Whether a request's changes were not all made in the second its page's "When" shows (the context's time): a job's
 * changes can span days, and each change then shows its own time. Within one second they need none (an HTTP request).
 */
export function changesSpanTime(contextAt: string, events: readonly { createdAt: string }[]): boolean {
  const at = second(contextAt);
  return events.some((event) => second(event.createdAt) !== at);
}
