import { ExportButton } from '../../features/export/export-button';
import { RequestChanges } from '../../features/request/request-changes';
import { href } from '../../lib/router';
import { usePageTitle } from '../../components/use-page-title';

export function RequestRoute({ contextId }: { contextId: string }) {
  usePageTitle(`Request ${contextId}`);
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb"><a href={href('/')}>Activity</a> / request</nav>
      <RequestChanges contextId={contextId} actions={<ExportButton selection={{ contextId }} label="Export request as JSON" />} />
    </>
  );
}
