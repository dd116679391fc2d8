import { ActivityChart } from '../../features/overview/activity-chart';
import { ActivityFeed } from '../../features/overview/activity-feed';
import { FeedFilters } from '../../features/overview/feed-filters';
import { filtersFromParams, filtersToParams } from '../../features/overview/feed-filter-params';
import { TablesSummary } from '../../features/overview/tables-summary';
import { ExportButton } from '../../features/export/export-button';
import { href, navigate } from '../../lib/router';

export function OverviewRoute({ params }: { params: URLSearchParams }) {
  const filters = filtersFromParams(params);
  return (
    <>
      <h1 className="page-title">Activity</h1>
      <TablesSummary />
      <ActivityChart filters={filters} />
      <section aria-labelledby="feed-title">
        <header className="section-header">
          <h2 id="feed-title">Recent changes</h2>
          <ExportButton selection={filtersToParams(filters)} label="Export feed as JSON" />
        </header>
        <FeedFilters key={params.toString()} filters={filters} onChange={(next) => navigate(href('/', filtersToParams(next)))} />
        <ActivityFeed filters={filters} />
      </section>
    </>
  );
}
