import { useSyncExternalStore } from 'react';

/** Hash routing: works from any static host and needs no server fallback. Routes look like `#/records/public.customer?key=…`. */
export interface Location {
  path: string;
  params: URLSearchParams;
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

const currentHash = () => window.location.hash;

export function parseHash(hash: string): Location {
  const raw = hash.replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?');
  return { path: path || '/', params: new URLSearchParams(search) };
}

/** The raw URL fragment (`#/records/…?key=…`), re-rendering on every change. */
export function useHash(): string {
  return useSyncExternalStore(subscribe, currentHash);
}

export function useLocation(): Location {
  return parseHash(useHash());
}

/** `#/path?query` for a path and query parameters (empty values dropped). */
export function href(path: string, params: Record<string, string | string[] | undefined | null> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => search.append(key, v));
    else search.set(key, value);
  }
  const query = search.toString();
  return `#${path}${query ? `?${query}` : ''}`;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) {
    history.replaceState(history.state, '', to); // the entry keeps its identity (lib/scroll-memory.ts)
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = to.replace(/^#/, '');
  }
}
