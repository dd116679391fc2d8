import { useState } from 'react';
import { getExportLink } from '../../api/get-export-link';
import type { QueryValue } from '../../lib/api-client';

/** Downloads the diffs of a selection (record, request or feed filters) as JSON in the export format. */
export function ExportButton({ selection, label = 'Export JSON' }: { selection: Record<string, QueryValue>; label?: string }) {
  const [state, setState] = useState<'idle' | 'busy' | 'error'>('idle');
  const download = async () => {
    setState('busy');
    try {
      const { url } = await getExportLink(selection);
      const link = document.createElement('a');
      link.href = url;
      link.download = '';
      document.body.append(link);
      link.click();
      link.remove();
      setState('idle');
    } catch {
      setState('error');
    }
  };
  return (
    <button type="button" className="export-button" onClick={download} disabled={state === 'busy'} aria-busy={state === 'busy'}>
      {state === 'busy' ? 'Preparing export…' : state === 'error' ? 'Export failed, retry' : label}
    </button>
  );
}
