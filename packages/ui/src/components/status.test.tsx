import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../lib/api-client';
import { ErrorState } from './status';

const retry = () => {};
const hasTryAgain = (error: unknown) => renderToStaticMarkup(<ErrorState error={error} onRetry={retry} />).includes('>Try again</button>');

describe('ErrorState', () => {
  it('offers "Try again" when a retry can help: network failure, server errors', () => {
    expect(hasTryAgain(new ApiError(0, 'network', 'The Rowtrail server cannot be reached.'))).toBe(true);
    expect(hasTryAgain(new ApiError(500, 'internal', 'boom'))).toBe(true);
    expect(hasTryAgain(new ApiError(503, 'unavailable', 'database restarting'))).toBe(true);
  });

  it('does not offer "Try again" for an unknown record, table or request (404) or a bad request (400)', () => {
    const notFound = renderToStaticMarkup(<ErrorState error={new ApiError(404, 'not_found', 'contextId: no context 0000')} onRetry={retry} />);
    expect(notFound).not.toContain('Try again');
    expect(notFound).toContain('no context 0000'); // the reason is still shown
    expect(hasTryAgain(new ApiError(404, 'unknown_table', 'table: "public.nope" is not a tracked table'))).toBe(false);
    expect(hasTryAgain(new ApiError(400, 'bad_request', 'key: not JSON'))).toBe(false);
  });

  it('offers no "Try again" without a way to retry', () => {
    expect(renderToStaticMarkup(<ErrorState error={new ApiError(503, 'unavailable', 'x')} />)).not.toContain('Try again');
  });
});

describe('ErrorState for something that does not exist (404)', () => {
  it('says "Not found", not "Something went wrong", which reads like a crash', () => {
    const html = renderToStaticMarkup(<ErrorState error={new ApiError(404, 'unknown_table', 'table: "public.nope" is not a tracked table')} onRetry={retry} />);
    expect(html).toContain('Not found.');
    expect(html).not.toContain('Something went wrong');
    expect(html).toContain('is not a tracked table');
  });

  it('explains it in words when the page knows what was not found', () => {
    const html = renderToStaticMarkup(<ErrorState error={new ApiError(404, 'unknown_table', 'table: …')} notFound={<>No such table.</>} />);
    expect(html).toContain('No such table.');
    expect(html).not.toContain('table: …');
    // other errors keep the API's message
    expect(renderToStaticMarkup(<ErrorState error={new ApiError(500, 'internal', 'boom')} notFound="x" />)).toContain('boom');
  });
});

describe('ErrorState for a parameter the API refuses (400)', () => {
  it('says it cannot show this, with the message naming the parameter, and offers no retry', () => {
    const html = renderToStaticMarkup(<ErrorState error={new ApiError(400, 'invalid_parameter', 'key: "idx" is not a primary-key column of public.customer (primary key: id)')} onRetry={retry} />);
    expect(html).toContain('Cannot show this.');
    expect(html).toContain('status-warning');
    expect(html).not.toContain('Something went wrong');
    expect(html).toContain('&quot;idx&quot; is not a primary-key column');
    expect(html).not.toContain('Try again');
  });
});
