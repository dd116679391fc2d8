import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ErrorBoundary } from '../components/error-boundary';
import { SignInNeeded } from '../components/sign-in-needed';
import { TokenForm } from '../components/token-form';
import { useHash } from '../lib/router';
import { getToken, onTokenChange } from '../lib/token-store';
import { Layout } from './layout';
import { createQueryClient } from './query-client';
import { AppRoutes } from './routes/app-routes';

/**
 * Who refused the API's requests, once one was refused: the dashboard asks for the token only then. Asking up front,
 * when none is stored, shut out a dashboard embedded in an application that authorizes by its own session (a cookie).
 */
type Refusal = 'token' | 'application' | null;

export function App() {
  const [refusal, setRefusal] = useState<Refusal>(null);
  const [hasToken, setHasToken] = useState(() => Boolean(getToken()));
  const [client] = useState(() => createQueryClient((error) => setRefusal(error.auth === 'application' ? 'application' : 'token')));
  const hash = useHash();
  useEffect(() => {
    const stop = onTokenChange(() => {
      client.clear();
      setHasToken(Boolean(getToken()));
      setRefusal(null); // ask again with the new token (or none): the next refusal brings the form back
    });
    return () => {
      stop();
    };
  }, [client]);
  const retry = () => {
    client.clear();
    setRefusal(null);
  };
  return (
    <QueryClientProvider client={client}>
      <Layout hasToken={hasToken}>
        {refusal === 'token' ? <TokenForm rejected />
          : refusal === 'application' ? <SignInNeeded onRetry={retry} />
          : (
            // A page that fails to render shows an error screen inside the layout; navigating elsewhere clears it.
            <ErrorBoundary resetKey={hash}>
              <AppRoutes />
            </ErrorBoundary>
          )}
      </Layout>
    </QueryClientProvider>
  );
}
