import type { ReactNode } from 'react';
import { setToken } from '../lib/token-store';
import { href } from '../lib/router';
import { RefreshButton } from './refresh-button';

export function Layout({ children, hasToken }: { children: ReactNode; hasToken: boolean }) {
  return (
    <>
      <a href="#main" className="skip-link" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <header className="app-header">
        <a href={href('/')} className="brand"><span className="brand-dot" aria-hidden="true" />Rowtrail</a>
        <nav aria-label="Main">
          <a href={href('/')}>Activity</a>
        </nav>
        <RefreshButton />
        {hasToken && <button type="button" className="secondary small" onClick={() => setToken(null)}>Forget token</button>}
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </>
  );
}
