import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { TokenForm } from '../components/token-form';
import { getToken, onTokenChange } from '../lib/token-store';
import { Layout } from './layout';
import { createQueryClient } from './query-client';
import { AppRoutes } from './routes/app-routes';

export function App() {
  const [needsToken, setNeedsToken] = useState(() => !getToken());
  const [client] = useState(() => createQueryClient(() => setNeedsToken(true)));
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
        {needsToken ? <TokenForm rejected /> : <AppRoutes />}
      </Layout>
    </QueryClientProvider>
  );
}
