import { useState } from 'react';
import { ErrorState } from '../../components/status';
import { href } from '../../lib/router';
import { ComparePanel } from './compare-panel';
import { useKeyProblem } from './key-problem';
import { MovedAwayNotice } from './moved-away-notice';
import { NoHistory } from './no-history';
import { NotRecordingNotice } from './not-recording-notice';
import { StateAtPanel } from './state-at-panel';
import { isUnknownTable, isUnusableKey, useNoHistory, useRecordHistory } from './use-record-history';
import { VersionTimeline } from './version-timeline';

export interface RecordView {
  version: string | null;
  compare: string[];
  at: string | null;
}

interface Props {
  table: string;
  recordKey: string;
  view: RecordView;
  onViewChange: (view: RecordView) => void;
}

/** A record's page body: compare panel, state-at-time panel and the version timeline; for a key with no history, only that. */
export function RecordHistory({ table, recordKey, view, onViewChange }: Props) {
  const toggleCompare = (eventId: string) => {
    const compare = view.compare.includes(eventId) ? view.compare.filter((id) => id !== eventId) : [...view.compare, eventId].slice(-2);
    onViewChange({ ...view, compare });
  };
  // Closing the comparison gives keyboard focus back to the checkbox that opened it (the version ticked last).
  const [focusCompare, setFocusCompare] = useState<{ eventId: string } | null>(null);
  const closeCompare = () => {
    setFocusCompare({ eventId: view.compare[view.compare.length - 1] });
    onViewChange({ ...view, compare: [] });
  };
  // A table Rowtrail does not track: say so, alone; comparing, "State as of" and the timeline would only fail again.
  const history = useRecordHistory(table, recordKey);
  // A key its column cannot hold (1.5, or beyond an integer's range): the API finds no history, and the page says why.
  const keyProblem = useKeyProblem(table, recordKey);
  // A key with no history at all: comparing and "State as of" could only give nothing, so the page says so alone.
  const noHistory = useNoHistory(table, recordKey);
  if (keyProblem) {
    return (
      <div className="status status-warning" role="alert">
        <strong>No record can have this key.</strong> <span>{keyProblem} The link may be mistyped or cut.</span>
      </div>
    );
  }
  if (isUnusableKey(history.error)) return <ErrorState error={history.error} />;
  if (isUnknownTable(history.error)) {
    return (
      <ErrorState error={history.error} notFound={<>
        <code>{table}</code> is not a table Rowtrail tracks, so it has no history. The link may be mistyped or out of date;
        the <a href={href('/')}>activity overview</a> lists the tracked tables.
      </>} />
    );
  }
  if (noHistory) {
    return (
      <>
        {/* changes made since its capture was removed are missing too: worth knowing when looking for a record */}
        <NotRecordingNotice table={table} />
        <NoHistory />
      </>
    );
  }
  return (
    <>
      <NotRecordingNotice table={table} />
      <MovedAwayNotice table={table} recordKey={recordKey} />
      <p className="hint muted">Tick “compare” on two versions to see what changed between them.</p>
      {view.compare.length === 2 && (
        <ComparePanel table={table} recordKey={recordKey} ids={[view.compare[0], view.compare[1]]} onClose={closeCompare} />
      )}
      <StateAtPanel table={table} recordKey={recordKey} at={view.at} onChange={(at) => onViewChange({ ...view, at })} />
      <VersionTimeline table={table} recordKey={recordKey} version={view.version} compare={view.compare} onToggleCompare={toggleCompare} focusCompare={focusCompare} />
    </>
  );
}
