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
    // The new page may already have put focus (and scrolled) where it belongs: a compare= link focuses the comparison's
    // heading. Its effects run before this one, so leave that focus in place. Only a target focused on purpose
    // (tabindex -1) counts: a link the user clicked that stays on the new page must not keep focus or the old scroll.
    const main = document.getElementById('main');
    const active = document.activeElement;
    if (main && active instanceof HTMLElement && active !== main && main.contains(active) && active.tabIndex === -1) return;
    window.scrollTo(0, 0);
    // After in-app navigation, move focus to the new page (screen readers announce it, Tab starts there).
    if (path !== firstPath.current) main?.focus({ preventScroll: true });
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
