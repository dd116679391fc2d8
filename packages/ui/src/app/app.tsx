import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ErrorBoundary } from '../components/error-boundary';
import { TokenForm } from '../components/token-form';
import { useHash } from '../lib/router';
import { getToken, onTokenChange } from '../lib/token-store';
import { Layout } from './layout';
import { createQueryClient } from './query-client';
import { AppRoutes } from './routes/app-routes';

export function App() {
  const [needsToken, setNeedsToken] = useState(() => !getToken());
  const [client] = useState(() => createQueryClient(() => setNeedsToken(true)));
  const hash = useHash();
  useEffect(() => {
    const stop = onTokenChange(() => {
      client.clear();
      setNeedsToken(!getToken());
    });
    return () => {
      stop();
    };
  }, [client]);
  return (
    <QueryClientProvider client={client}>
      <Layout signedIn={!needsToken}>
        {needsToken ? <TokenForm rejected /> : (
          // A page that fails to render shows an error screen inside the layout; navigating elsewhere clears it.
          <ErrorBoundary resetKey={hash}>
            <AppRoutes />
          </ErrorBoundary>
        )}
      </Layout>
    </QueryClientProvider>
  );
}
