import type { HistoryEvent } from '../../api/types';

/** A version of a record that had this key, and which of them: 0 for the newest record, one more past each key change away. */
export interface VersionEntry {
  kind: 'version';
  event: HistoryEvent;
  record: number;
}

/**
 * A key change away from this key (`movedAway`): the boundary between two records that had it. `above` tells how many
 * versions of the later record are listed above it (down to the boundary above that, if any), and its oldest version.
 */
export interface BoundaryEntry {
  kind: 'boundary';
  event: HistoryEvent;
  above: { versions: number; oldest: HistoryEvent | undefined };
}

export type TimelineEntry = VersionEntry | BoundaryEntry;

/**
 * The timeline of a key, newest first (as the history API pages it), told apart into records: each key change away is a
 * boundary, and the versions below it are of the record that left, not of the one above. As pages come newest first,
 * every boundary above a loaded version is loaded too, so a version's record number is final once it is shown.
 * `last` is the oldest record's part (the versions below the last boundary), which the timeline's end describes.
 */
export function timelineEntries(events: HistoryEvent[]): { entries: TimelineEntry[]; last: BoundaryEntry['above'] & { movedTo: HistoryEvent | undefined } } {
  const entries: TimelineEntry[] = [];
  let record = 0;
  let versions = 0;
  let oldest: HistoryEvent | undefined;
  let movedTo: HistoryEvent | undefined;
  for (const event of events) {
    if (event.movedAway) {
      entries.push({ kind: 'boundary', event, above: { versions, oldest } });
      record += 1;
      versions = 0;
      oldest = undefined;
      movedTo = event;
    } else {
      entries.push({ kind: 'version', event, record });
      versions += 1;
      oldest = event;
    }
  }
  return { entries, last: { versions, oldest, movedTo } };
}

/** The record number of each loaded version (by event id): versions of different numbers are of different records. */
export function recordOfVersions(entries: TimelineEntry[]): Map<string, number> {
  return new Map(entries.flatMap((e) => (e.kind === 'version' ? [[e.event.eventId, e.record] as const] : [])));
}
