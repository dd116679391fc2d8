import { useMutation } from '@tanstack/react-query';
import { useId, type ReactNode } from 'react';
import { getExportLink } from '../../api/get-export-link';
import type { QueryValue } from '../../lib/api-client';

/**
 * Downloads the diffs of a selection (record, request or feed filters) as JSON in the export format. Asking for the
 * link is a mutation of the app's query client, so a 401 leads to the token screen like every other API call.
 * When it fails, the reason is shown next to the button (and announced: role=alert), not only in a tooltip.
 * `note` says what the export holds when that is not obvious (the feed's applied filters); it sits under the button and
 * describes it (aria-describedby), so it is read out with the button too.
 * While it works the button stays enabled and focusable (aria-disabled, clicks ignored): `disabled` would drop keyboard
 * focus to the page, and the reader would have to find the button again to retry after a failure.
 */
export function ExportButton({ selection, label = 'Export JSON', note }: { selection: Record<string, QueryValue>; label?: string; note?: ReactNode }) {
  const exportLink = useMutation({
    mutationFn: () => getExportLink(selection),
    onSuccess: ({ url }) => {
      const link = document.createElement('a');
      link.href = url;
      link.download = '';
      document.body.append(link);
      link.click();
      link.remove();
    },
  });
  const errorId = useId();
  const noteId = useId();
  const busy = exportLink.isPending;
  const failed = exportLink.isError;
  return (
    <span className="export-control">
      <button type="button" className="export-button" onClick={() => { if (!busy) exportLink.mutate(); }}
        aria-disabled={busy || undefined} aria-busy={busy}
        aria-describedby={[note ? noteId : '', failed ? errorId : ''].filter(Boolean).join(' ') || undefined}>
        {busy ? 'Preparing export…' : failed ? 'Export failed, retry' : label}
      </button>
      {note && <span id={noteId} className="export-note">{note}</span>}
      {/* Always in the page, so screen readers announce the reason when it appears. */}
      <span id={errorId} className="export-error" role="alert">
        {failed && <><span className="sr-only">Export failed: </span>{exportLink.error.message}</>}
      </span>
    </span>
  );
}
