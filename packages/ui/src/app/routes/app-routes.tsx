import { useEffect, useRef } from 'react';
import { LinkProblem } from '../../components/link-problem';
import { safeDecode } from '../../lib/route-params';
import { useLocation } from '../../lib/router';
import { OverviewRoute } from './overview-route';
import { RecordRoute } from './record-route';
import { RequestRoute } from './request-route';

/** #/ (overview and feed), #/records/<table>?key=…, #/requests/<context id>. */
export function AppRoutes() {
  const { path, params } = useLocation();
  const firstPath = useRef(path);
  useEffect(() => {
    window.scrollTo(0, 0);
    // After in-app navigation, move focus to the new page (screen readers announce it, Tab starts there).
    if (path !== firstPath.current) document.getElementById('main')?.focus({ preventScroll: true });
  }, [path]);
  const record = /^\/records\/([^/]+)$/.exec(path);
  const request = /^\/requests\/([^/]+)$/.exec(path);
  const segment = record?.[1] ?? request?.[1];
  const name = segment === undefined ? null : safeDecode(segment);
  if (segment !== undefined && name === null) {
    return <LinkProblem title="Invalid link">The address contains a malformed escape sequence (<code>{segment}</code>); it may have been cut or edited.</LinkProblem>;
  }
  if (record && params.get('key')) return <RecordRoute table={name!} recordKey={params.get('key')!} params={params} />;
  if (request) return <RequestRoute contextId={name!} />;
  if (path === '/') return <OverviewRoute params={params} />;
  return <LinkProblem title="Page not found" />;
}
