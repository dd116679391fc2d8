import { useInfiniteQuery } from '@tanstack/react-query';
import { getHistory } from '../../api/get-history';
import { ApiError } from '../../lib/api-client';
import { useKeyProblem } from './key-problem';

/** A small first page paints quickly; later pages are larger so deep links and long scrolls need fewer requests. */
const FIRST_PAGE = 100;
const NEXT_PAGE = 400;

/**
 * The record's versions, newest first, page by page. One query shared by everything on the record page that needs
 * it (the timeline, and the page's controls, which hide when the table is unknown): the same key, one request.
 */
export function useRecordHistory(table: string, recordKey: string) {
  return useInfiniteQuery({
    queryKey: ['history', table, recordKey],
    queryFn: ({ pageParam, signal }) => getHistory(table, recordKey, pageParam, pageParam ? NEXT_PAGE : FIRST_PAGE, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** The API's answer for a table that Rowtrail does not track (404 `unknown_table`). */
export const isUnknownTable = (error: unknown): boolean => error instanceof ApiError && error.code === 'unknown_table';

/** The API's answer for a key that is not one of the table's (a column it does not have, a value its type cannot hold). */
export const isUnusableKey = (error: unknown): boolean =>
  error instanceof ApiError && error.code === 'invalid_parameter' && /^key(\.|:)/.test(error.message);

/**
 * Whether the record's first history page loaded and holds no event: no change of the key was ever recorded (the key
 * may be wrong, or the record unchanged since before its table was tracked). Export, comparing and "State as of" could
 * only give nothing; the page says so alone. False while loading and on an error.
 */
export function useNoHistory(table: string, recordKey: string): boolean {
  const { data } = useRecordHistory(table, recordKey);
  return data !== undefined && (data.pages[0]?.events.length ?? 0) === 0;
}

/**
 * Whether the record page's link turned out unusable (its table not tracked, or its key not one of the table's, nor one
 * its columns can hold): its export and "State as of" controls would only fail, or export nothing.
 */
export function useUnusableRecordLink(table: string, recordKey: string): boolean {
  const { error } = useRecordHistory(table, recordKey);
  const keyProblem = useKeyProblem(table, recordKey);
  return isUnknownTable(error) || isUnusableKey(error) || keyProblem !== null;
}
