import { ExportButton } from '../../features/export/export-button';
import { RequestChanges } from '../../features/request/request-changes';
import { href } from '../../lib/router';

export function RequestRoute({ contextId }: { contextId: string }) {
  // the page's title is its heading, which RequestChanges knows once the request is loaded
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb"><a href={href('/')}>Activity</a> / request</nav>
      <RequestChanges contextId={contextId} actions={<ExportButton selection={{ contextId }} label="Export request as JSON" />} />
    </>
  );
}
