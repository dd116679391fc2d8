import type { EventFilters } from '../../api/types';
import { parseExactJson } from '../../lib/exact-json';
import { formatKey, formatTime, shortTable } from '../../lib/format';

/**
 * The applied feed filters in words (`user sophie.support`, `from Dec 1, 2026, 12:00:00 AM PST`), one entry per filter;
 * empty when nothing is filtered. `keyOrder`: the filtered table's primary key, the order of a key filter's parts. Times are shown like every time on the page: the browser's zone, named.
 */
export function describeFilters(filters: EventFilters, keyOrder: readonly string[] = []): string[] {
  const parts: string[] = [];
  if (filters.table?.length) parts.push(`${filters.table.length > 1 ? 'tables' : 'table'} ${filters.table.map(shortTable).join(', ')}`);
  if (filters.recordKey) parts.push(`key ${formatKey(parseExactJson(filters.recordKey) as Record<string, unknown>, keyOrder)}`);
  if (filters.changed?.length) parts.push(`changed ${filters.changed.join(' or ')}`);
  if (filters.operation?.length) parts.push(`${filters.operation.length > 1 ? 'operations' : 'operation'} ${filters.operation.map((o) => o.toLowerCase()).join(', ')}`);
  if (filters.user) parts.push(`user ${filters.user}`);
  if (filters.requestId) parts.push(`request ${filters.requestId}`);
  if (filters.dbUser) parts.push(`database role ${filters.dbUser} (without application context)`);
  if (filters.from) parts.push(`from ${formatTime(filters.from)}`);
  if (filters.to) parts.push(`to ${formatTime(filters.to)}`);
  if (filters.after) parts.push(`committed after the export with watermark ${filters.after}`);
  return parts;
}
