import { useQuery } from '@tanstack/react-query';
import { tablesQuery } from '../../api/get-tables';
import { LinkProblem } from '../../components/link-problem';
import { shortTable } from '../../lib/format';
import { href } from '../../lib/router';
import { trackedTableNamed } from './tracked-table';

/**
 * A record link that names a table but no key (`#/records/public.customer`, cut before `?key=…`): not an unknown page.
 * Offers the overview's record lookup with that table chosen (the overview filtered by it, `#/?table=…`, starts the
 * lookup there); a table Rowtrail does not track is said to be one instead.
 */
export function RecordKeyMissing({ table }: { table: string }) {
  const tables = useQuery(tablesQuery());
  const tracked = tables.data ? trackedTableNamed(tables.data.tables, table) : undefined;
  const untracked = tables.data !== undefined && !tracked;
  return (
    <LinkProblem title="No record key in this link">
      This link names the table <code>{table}</code> but no record key (its <code>key=</code> part is missing; the link
      may have been cut).{' '}
      {untracked ? <><code>{table}</code> is not a table Rowtrail tracks either.</>
        : tracked ? <a href={href('/', { table: [tracked.table] })}>Look up a record of {shortTable(tracked.table)}</a>
        : <a href={href('/')}>Look up a record</a>}
    </LinkProblem>
  );
}
