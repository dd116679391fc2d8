import { ExportButton } from '../../features/export/export-button';
import { RecordHistory, type RecordView } from '../../features/record-history/record-history';
import { formatKey, shortTable } from '../../lib/format';
import { recordHref } from '../../lib/links';
import { href, navigate } from '../../lib/router';

function parseKey(key: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(key);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function RecordRoute({ table, recordKey, params }: { table: string; recordKey: string; params: URLSearchParams }) {
  const key = parseKey(recordKey);
  if (!key) return <section className="card" role="alert"><h1>Invalid record link</h1><p>The key {recordKey} is not a JSON object.</p></section>;
  const view: RecordView = {
    version: params.get('version'),
    compare: params.get('compare')?.split(',').filter(Boolean) ?? [],
    at: params.get('at'),
  };
  const setView = (next: RecordView) =>
    navigate(recordHref(table, recordKey, { version: next.version ?? undefined, compare: next.compare.join(',') || undefined, at: next.at ?? undefined }), { replace: true });
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <a href={href('/')}>Activity</a> / <a href={href('/', { table })}>{shortTable(table)}</a>
      </nav>
      <header className="section-header page-header">
        <h1 className="page-title">{shortTable(table)} <span className="key">{formatKey(key)}</span></h1>
        <ExportButton selection={{ table, key: recordKey }} label="Export record as JSON" />
      </header>
      <RecordHistory key={`${table}:${recordKey}`} table={table} recordKey={recordKey} view={view} onViewChange={setView} />
    </>
  );
}
