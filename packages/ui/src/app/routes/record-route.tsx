import { ExportButton } from '../../features/export/export-button';
import { LinkProblem } from '../../components/link-problem';
import { IgnoredParamsNotice } from '../../components/ignored-params-notice';
import { RecordHistory, type RecordView } from '../../features/record-history/record-history';
import { parseRecordView } from '../../features/record-history/record-view-params';
import { useNoHistory, useUnusableRecordLink } from '../../features/record-history/use-record-history';
import { useKeyLabel } from '../../components/table-columns';
import { shortTable } from '../../lib/format';
import { isExactNumber, parseExactJson } from '../../lib/exact-json';
import { recordHref } from '../../lib/links';
import { href, navigate } from '../../lib/router';
import { usePageTitle } from '../../components/use-page-title';

function parseKey(key: string): Record<string, unknown> | null {
  try {
    const value = parseExactJson(key); // the title shows every digit of a big key
    return value && typeof value === 'object' && !Array.isArray(value) && !isExactNumber(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function RecordRoute({ table, recordKey, params }: { table: string; recordKey: string; params: URLSearchParams }) {
  const key = parseKey(recordKey);
  if (!key) return <LinkProblem title="Invalid record link">The key <code>{recordKey}</code> is not a JSON object.</LinkProblem>;
  return <RecordPage table={table} recordKey={recordKey} keyValue={key} params={params} />;
}

function RecordPage({ table, recordKey, keyValue, params }: { table: string; recordKey: string; keyValue: Record<string, unknown>; params: URLSearchParams }) {
  // Shares the timeline's history query: an untracked table or a key not of the table shows no export, which could only fail.
  const unusable = useUnusableRecordLink(table, recordKey);
  // nor for a key with no history at all, which would download a file without events
  const noHistory = useNoHistory(table, recordKey);
  const keyText = useKeyLabel()(table, keyValue); // in the order of the table's primary key
  usePageTitle(`${shortTable(table)} ${keyText}`);
  const { view, ignored } = parseRecordView(params);
  const setView = (next: RecordView) =>
    navigate(recordHref(table, recordKey, { version: next.version ?? undefined, compare: next.compare.join(',') || undefined, at: next.at ?? undefined }), { replace: true });
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <a href={href('/')}>Activity</a> / <a href={href('/', { table })}>{shortTable(table)}</a>
      </nav>
      <header className="section-header page-header">
        <h1 className="page-title">{shortTable(table)} <span className="key">{keyText}</span></h1>
        {!unusable && !noHistory && <ExportButton selection={{ table, key: recordKey }} label="Export record as JSON" />}
      </header>
      <IgnoredParamsNotice ignored={ignored} />
      <RecordHistory key={`${table}:${recordKey}`} table={table} recordKey={recordKey} view={view} onViewChange={setView} />
    </>
  );
}
