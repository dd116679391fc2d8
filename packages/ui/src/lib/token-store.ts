import { safeDecode } from './route-params';

const KEY = 'rowtrail.token';
const listeners = new Set<() => void>();

/** The API token: kept in localStorage so a new tab does not ask again. */
export function getToken(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(KEY, token);
    else localStorage.removeItem(KEY);
  } catch {
    // storage disabled: the token lives only for this page
  }
  listeners.forEach((listener) => listener());
}

export function onTokenChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The token in what was pasted into the token field: the token itself, or the whole sign-in link the server printed
 * (`http://…/#token=…`), whose token is taken from it. Undefined for a link whose token is cut or mangled.
 */
export function tokenFromInput(input: string): string | undefined {
  const text = input.trim();
  const link = /#token=([^&\s]*)/.exec(text);
  if (!link) return text || undefined;
  return safeDecode(link[1]) || undefined;
}

/**
 * Takes a token from a `#token=…` link (as printed by the demo) and removes it from the address bar. The entry is
 * replaced, not added to: Back never returns to the token, and the browser's history does not keep it.
 */
export function adoptTokenFromHash(): void {
  const match = /^#token=([^&]*)/.exec(window.location.hash);
  if (!match) return;
  const token = safeDecode(match[1]); // a cut or mangled link (`%E0%A4%A`) is dropped: the token form asks instead
  history.replaceState(history.state, '', `${window.location.pathname}${window.location.search}#/`);
  if (token) setToken(token); // its listeners retry every query with it (app/app.tsx), on the overview the link opens
}

/**
 * Adopts a sign-in link now and on every later navigation to one: a `#token=…` link opened in a tab where the dashboard
 * is already loaded changes only the fragment, with no reload. Call it before React renders and before
 * installScrollMemory: its hashchange listener must replace the address before the router, or the scroll memory,
 * sees `#token=…` as a page.
 */
export function installTokenLinks(): void {
  adoptTokenFromHash();
  window.addEventListener('hashchange', adoptTokenFromHash);
}
