import { apiGet, type QueryValue } from '../lib/api-client';

export interface ExportLink { url: string; expiresAt: string }

/**
 * A signed, short-lived link to an export (`GET /api/export/link`): the browser
 * downloads it with a plain link, streaming to disk, and the token never
 * appears in a URL.
 */
export function getExportLink(selection: Record<string, QueryValue>): Promise<ExportLink> {
  return apiGet('/api/export/link', { ...selection, format: 'json' });
}
