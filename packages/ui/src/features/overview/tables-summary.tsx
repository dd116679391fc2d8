import { useQuery } from '@tanstack/react-query';
import { tablesQuery } from '../../api/get-tables';
import { Empty, ErrorState, Loading } from '../../components/status';
import { formatAgo, formatTime, shortTable } from '../../lib/format';
import { href } from '../../lib/router';

/** Tracked tables with their event counts and last change. */
export function TablesSummary() {
  const query = useQuery(tablesQuery());
  if (query.isPending) return <Loading label="Loading tracked tables…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  const tables = query.data.tables;
  if (tables.length === 0) return <Empty>No tracked tables yet. Mark an entity with <code>@Tracked()</code> and run <code>installTracked()</code>.</Empty>;
  return (
    <ul className="table-cards" aria-label="Tracked tables">
      {tables.map((t) => (
        <li key={t.table} className="card table-card">
          <a href={href('/', { table: t.table })} className="table-name">{shortTable(t.table)}</a>
          {t.readError !== undefined || t.events === null ? (
            // one history table the dashboard's database role may not read (tracked after its grants): the others still show
            <span className="table-unreadable" role="note">
              {/permission denied/i.test(t.readError ?? '')
                ? <>History not readable by the dashboard’s database role: {t.readError}. Grant it SELECT on the history table (docs/http-api.md, “Privileges”).</>
                : <>History not readable: {t.readError ?? 'unknown error'}. <code>rowtrail status</code> tells what became of its history table.</>}
            </span>
          ) : (
            <>
              <span className="table-count">{t.eventsEstimated ? '≈' : ''}{t.events.toLocaleString()} <small>events</small></span>
              <span className="table-last" title={formatTime(t.lastChangeAt)}>last change {formatAgo(t.lastChangeAt)}</span>
            </>
          )}
          {!t.recording && (
            // support staff asking why nothing changed lately: the table's capture was removed (untrack, prune) or disabled
            <span className="table-not-recording" title="Its capture triggers were removed (untrack, prune) or disabled: rowtrail status tells which. The history below stays readable.">
              Changes not recorded now
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
