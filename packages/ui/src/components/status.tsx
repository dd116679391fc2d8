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

/** An error; a 401 asks for the token instead. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (error instanceof ApiError && error.status === 401) return <TokenForm rejected />;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="status status-error" role="alert">
      <strong>Something went wrong.</strong> {message}
      {onRetry && <button type="button" onClick={onRetry}>Try again</button>}
    </div>
  );
}
