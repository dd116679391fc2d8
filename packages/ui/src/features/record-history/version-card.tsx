import { Fragment } from 'react';
import type { HistoryEvent } from '../../api/types';
import { ContextLine } from '../../components/context-line';
import { EventChanges } from '../../components/event-changes';
import { OldKeyLink } from '../../components/old-key-link';
import { OperationBadge } from '../../components/operation-badge';
import { SnapshotView } from '../../components/snapshot-view';
import { useColumnOrder } from '../../components/table-columns';
import { inColumnOrder } from '../../lib/format';
import { recordHref } from '../../lib/links';
import { stringifyExactJson } from '../../lib/exact-json';
import { plural } from '../../lib/plural';
import { href } from '../../lib/router';

interface Props {
  event: HistoryEvent;
  selected: boolean;
  expanded: boolean;
  comparing: boolean;
  /** A version across a key change away from the one ticked for comparison: possibly of another record. */
  otherRecord?: boolean;
  onToggleExpanded: () => void;
  onToggleCompare: () => void;
}

/** One version in the timeline: who/when/request, its field-level diff, and the full snapshot on demand. */
export function VersionCard({ event, selected, expanded, comparing, otherRecord = false, onToggleExpanded, onToggleCompare }: Props) {
  // in the table's column order, as the diff above lists them
  const changed = inColumnOrder(event.changes, useColumnOrder(event.table).columns).map(([column]) => column);
  const unchanged = Object.keys(event.snapshot).filter((c) => !changed.includes(c)).length;
  const link = recordHref(event.table, event.recordKeyText ?? event.recordKey, { version: event.eventId });
  return (
    // The linked version (`version=`): marked current for screen readers, and focusable by script (the timeline moves
    // keyboard focus to it once scrolled to, so Tab goes on from there).
    <article className={`version card${selected ? ' version-selected' : ''}`} data-event-id={event.eventId} aria-label={`Version ${event.eventId}`}
      aria-current={selected ? 'true' : undefined} tabIndex={selected ? -1 : undefined}>
      <header className="version-head">
        <OperationBadge operation={event.operation} />
        <a href={link} className="version-link" title="Link to this version">#{event.eventId}</a>
        <ContextLine context={event.context} at={event.createdAt} />
        {event.label && event.label !== 'snapshot' && <span className="label">{event.label}</span>}
        {event.oldRecordKey && <OldKeyLink table={event.table} oldKey={event.oldRecordKey} />}
        <label className="check compare-check">
          {/* A name of its own for each version: screen readers list these checkboxes out of context. */}
          <input type="checkbox" className="compare-box" checked={comparing} onChange={onToggleCompare} aria-label={`Compare version #${event.eventId}`}
            disabled={otherRecord && !comparing} title={otherRecord ? 'The key changed away between this version and the one ticked: they may be of two different records' : undefined} />
          {' '}{otherRecord && !comparing ? 'compare (across a key change)' : 'compare'}
        </label>
      </header>
      {event.operation === 'UPDATE' ? <EventChanges event={event} /> : <SnapshotView table={event.table} snapshot={event.snapshot} />}
      {event.operation === 'UPDATE' && (
        <div className="version-foot">
          <button type="button" className="link-button" aria-expanded={expanded} onClick={onToggleExpanded}>
            {expanded ? 'Hide full snapshot' : `Show full snapshot (${plural(unchanged, 'unchanged field')})`}
          </button>
          {/* "Who changed this email before?": the feed of this record's updates that changed the field */}
          <span className="field-history muted">
            Every change of{' '}
            {changed.map((column, i) => (
              <Fragment key={column}>
                {i > 0 && ', '}
                <a href={href('/', { table: [event.table], recordKey: event.recordKeyText ?? stringifyExactJson(event.recordKey), changed: [column] })}
                  aria-label={`Every change of ${column} in this record`}>{column}</a>
              </Fragment>
            ))}
          </span>
          {expanded && <SnapshotView table={event.table} snapshot={event.snapshot} highlight={changed} />}
        </div>
      )}
    </article>
  );
}
