import { useLayoutEffect, useRef } from 'react';
import { LinkProblem } from '../../components/link-problem';
import { RecordKeyMissing } from '../../features/record-history/record-key-missing';
import { safeDecode } from '../../lib/route-params';
import { useLocation } from '../../lib/router';
import { currentArrival } from '../../lib/scroll-memory';
import { OverviewRoute } from './overview-route';
import { RecordRoute } from './record-route';
import { RequestRoute } from './request-route';

/** #/ (overview and feed), #/records/<table>?key=… (without a key: says so), #/requests/<context id>. */
export function AppRoutes() {
  const { path, params } = useLocation();
  // The path focus was last managed for: the first page keeps the browser's focus, every later page gets it moved
  // (compared with the previous path, not the first one: back on the first page by a link is a navigation too).
  const previousPath = useRef(path);
  // A layout effect: it runs after the new page's layout effects but before its other effects, so a page that scrolls
  // to its own target once rendered (a version= link, also when its history is cached and it renders at once) does so
  // after this scroll to the top, not before it.
  useLayoutEffect(() => {
    // The new page may already have put focus (and scrolled) where it belongs. Only a target focused on purpose
    // (tabindex -1) counts: a link the user clicked that stays on the new page must not keep focus or the old scroll.
    // (A compare= link focuses the comparison's heading in a later effect, which then takes focus from the page.)
    const navigated = path !== previousPath.current;
    previousPath.current = path;
    const main = document.getElementById('main');
    const active = document.activeElement;
    if (main && active instanceof HTMLElement && active !== main && main.contains(active) && active.tabIndex === -1) return;
    // Back to where the user was (lib/use-scroll-restoration.ts): the page already put scroll and focus back there.
    if (currentArrival().restored) return;
    window.scrollTo(0, 0);
    // After in-app navigation, move focus to the new page (screen readers announce it, Tab starts there).
    if (navigated) main?.focus({ preventScroll: true });
  }, [path]);
  const record = /^\/records\/([^/]+)$/.exec(path);
  const request = /^\/requests\/([^/]+)$/.exec(path);
  const segment = record?.[1] ?? request?.[1];
  const name = segment === undefined ? null : safeDecode(segment);
  if (segment !== undefined && name === null) {
    return <LinkProblem title="Invalid link">The address contains a malformed escape sequence (<code>{segment}</code>); it may have been cut or edited.</LinkProblem>;
  }
  if (record) {
    const key = params.get('key');
    // a link cut before its key (or with an empty one) names the table still: the page offers to look a record up there
    return key ? <RecordRoute table={name!} recordKey={key} params={params} /> : <RecordKeyMissing table={name!} />;
  }
  if (request) return <RequestRoute contextId={name!} />;
  if (path === '/') return <OverviewRoute params={params} />;
  return <LinkProblem title="Page not found" />;
}
