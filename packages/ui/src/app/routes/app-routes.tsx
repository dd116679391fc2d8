import { useEffect, useRef } from 'react';
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
  if (record && params.get('key')) return <RecordRoute table={decodeURIComponent(record[1])} recordKey={params.get('key')!} params={params} />;
  const request = /^\/requests\/([^/]+)$/.exec(path);
  if (request) return <RequestRoute contextId={decodeURIComponent(request[1])} />;
  if (path === '/') return <OverviewRoute params={params} />;
  return (
    <section className="card">
      <h1>Page not found</h1>
      <p><a href="#/">Back to the activity overview</a></p>
    </section>
  );
}
