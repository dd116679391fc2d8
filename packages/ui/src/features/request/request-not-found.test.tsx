import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api-client';
import { isRequestNotFound, RequestNotFound } from './request-not-found';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

describe('an unknown request', () => {
  it('is what the API says for an unknown context id (404) or an id that is not one (400 naming id)', () => {
    expect(isRequestNotFound(new ApiError(404, 'not_found', 'id: no context 00000000-0000-7000-8000-000000000000'))).toBe(true);
    expect(isRequestNotFound(new ApiError(400, 'invalid_parameter', 'id: must be a UUID, got "req-2041"'))).toBe(true);
    expect(isRequestNotFound(new ApiError(400, 'invalid_parameter', 'limit: must be an integer from 1 to 1000'))).toBe(false);
    expect(isRequestNotFound(new ApiError(503, 'unavailable', 'busy'))).toBe(false);
  });

  it('shows "Request not found" with the id, not an error', () => {
    const html = renderToStaticMarkup(<RequestNotFound contextId="00000000-0000-7000-8000-000000000000" />);
    expect(html).toContain('<h1 id="link-problem-title">Request not found</h1>');
    expect(text(html)).toContain('00000000-0000-7000-8000-000000000000');
    expect(text(html)).not.toMatch(/went wrong/);
  });

  it('offers to look a request id up in the activity when the link names one instead of a context id', () => {
    const html = renderToStaticMarkup(<RequestNotFound contextId="req-2041" />);
    expect(html).toContain('href="#/?requestId=req-2041"');
  });
});
