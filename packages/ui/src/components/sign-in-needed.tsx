import { usePageTitle } from './use-page-title';

/**
 * Shown when the application that embeds the dashboard refused its requests (its `authorize()` said no): there is no
 * token to enter, the way in is that application's own sign-in.
 */
export function SignInNeeded({ onRetry }: { onRetry: () => void }) {
  usePageTitle('Not signed in'); // not the title of the page it replaces
  return (
    <section className="card token-card" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Not signed in</h1>
      <p>
        The application serving this dashboard did not let this browser see its history. Sign in to it (or ask for access),
        then try again.
      </p>
      <button type="button" onClick={onRetry}>Try again</button>
    </section>
  );
}
