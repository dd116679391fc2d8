import { useMutation } from '@tanstack/react-query';
import { getExportLink } from '../../api/get-export-link';
import type { QueryValue } from '../../lib/api-client';

/**
 * Downloads the diffs of a selection (record, request or feed filters) as JSON in the export format. Asking for the
 * link is a mutation of the app's query client, so a 401 leads to the token screen like every other API call.
 */
export function ExportButton({ selection, label = 'Export JSON' }: { selection: Record<string, QueryValue>; label?: string }) {
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
  const busy = exportLink.isPending;
  return (
    <button type="button" className="export-button" onClick={() => exportLink.mutate()} disabled={busy} aria-busy={busy}
      title={exportLink.isError ? exportLink.error.message : undefined}>
      {busy ? 'Preparing export…' : exportLink.isError ? 'Export failed, retry' : label}
    </button>
  );
}
