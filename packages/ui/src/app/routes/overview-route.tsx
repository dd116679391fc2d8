import { ActivityChart } from '../../features/overview/activity-chart';
import { ActivityFeed } from '../../features/overview/activity-feed';
import { FeedExportScope } from '../../features/overview/feed-export-scope';
import { useFeedFilterDraft } from '../../features/overview/feed-filter-draft';
import { FeedFilters } from '../../features/overview/feed-filters';
import { filtersToParams, parseFeedFilters } from '../../features/overview/feed-filter-params';
import { RecordLookup } from '../../features/overview/record-lookup';
import { TablesSummary } from '../../features/overview/tables-summary';
import { ExportButton } from '../../features/export/export-button';
import { IgnoredParamsNotice } from '../../components/ignored-params-notice';
import { href, navigate } from '../../lib/router';
import { usePageTitle } from '../../components/use-page-title';

export function OverviewRoute({ params }: { params: URLSearchParams }) {
  const { filters, ignored } = parseFeedFilters(params);
  usePageTitle(filters.table?.length === 1 ? `Activity: ${filters.table[0]}` : 'Activity');
  // What is typed into the filter form but not applied: the export says it is not included.
  const draft = useFeedFilterDraft(filters);
  return (
    <>
      <h1 className="page-title">Activity</h1>
      <IgnoredParamsNotice ignored={ignored} />
      <TablesSummary />
      <RecordLookup defaultTable={filters.table?.length === 1 ? filters.table[0] : undefined} />
      <ActivityChart filters={filters} />
      <section aria-labelledby="feed-title">
        <header className="section-header">
          <h2 id="feed-title">Recent changes</h2>
          <ExportButton selection={filtersToParams(filters)} label="Export feed as JSON"
            note={<FeedExportScope filters={filters} pending={draft.pending} />} />
        </header>
        {/* Not keyed on the URL: remounting on every change would drop keyboard focus and unapplied text. */}
        <FeedFilters filters={filters} draft={draft} onChange={(next) => navigate(href('/', filtersToParams(next)))} />
        <ActivityFeed filters={filters} />
      </section>
    </>
  );
}
