import type { ReactNode } from 'react';
import { ApiError } from '../lib/api-client';
import { TokenForm } from './token-form';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="status status-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="status status-empty">{children}</div>;
}

/**
 * Whether asking again may succeed: a network failure (status 0), a server error (5xx), a timeout (408) or rate
 * limit (429), or an error that is not an API answer (e.g. a cut-off response). Other 4xx answers (an unknown
 * record, table or request: 404; a bad parameter: 400) would only fail the same way again.
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status === 0 || error.status >= 500 || error.status === 408 || error.status === 429;
}

/**
 * An error; a 401 asks for the token instead. "Try again" is offered only when a retry can help. An unknown record,
 * table or request (404) is not a failure of the dashboard: it says "Not found", with `notFound` explaining it in
 * words when given (the API's message names parameters, e.g. "id: no context …"). A parameter the API refuses (400: a
 * link's unknown column or key) says "Cannot show this.", with the API's message naming the parameter.
 */
export function ErrorState({ error, onRetry, notFound }: { error: unknown; onRetry?: () => void; notFound?: ReactNode }) {
  if (error instanceof ApiError && error.status === 401) return <TokenForm rejected />;
  const message = error instanceof Error ? error.message : String(error);
  const missing = error instanceof ApiError && error.status === 404;
  // a parameter the API refuses (a hand-edited link's column or key): not a failure of the dashboard either
  const refused = error instanceof ApiError && error.status === 400;
  return (
    <div className={`status ${missing || refused ? 'status-warning' : 'status-error'}`} role="alert">
      {/* One span for the explanation: .status lays out its children as flex items, which would split a sentence. */}
      <strong>{missing ? 'Not found.' : refused ? 'Cannot show this.' : 'Something went wrong.'}</strong> <span>{missing && notFound ? notFound : message}</span>
      {onRetry && isRetryable(error) && <button type="button" onClick={onRetry}>Try again</button>}
    </div>
  );
}
