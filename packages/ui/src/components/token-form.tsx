import { useState, type FormEvent } from 'react';
import { getToken, setToken, tokenFromInput } from '../lib/token-store';
import { usePageTitle } from './use-page-title';

/** Asks for the API token (shown when the API answers 401). */
export function TokenForm({ rejected = false }: { rejected?: boolean }) {
  // the page it replaces (after Forget token, or a token refused mid-session) is no longer shown: nor is its title
  usePageTitle('Access token needed');
  const [value, setValue] = useState('');
  const refused = rejected && Boolean(getToken());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // the printed sign-in link works pasted here too, as its help text names it
    const token = tokenFromInput(value);
    if (token) setToken(token);
  };
  return (
    <section className="card token-card" aria-labelledby="token-title">
      <h1 id="token-title">Access token needed</h1>
      <p id="token-help">
        {/* the token typed just now, or one stored earlier: the same message for both */}
        {refused ? 'The server refused the token. ' : ''}
        This Rowtrail server needs its access token: the one your application gives its Rowtrail API (ask whoever runs it),
        or the one <code>rowtrail serve</code> and <code>pnpm start</code> print, together with a link that signs you in
        (<code>…/#token=…</code>): open the link, or paste it or the token here.
      </p>
      <form onSubmit={submit} className="token-form">
        <label htmlFor="token-input">Token</label>
        <input id="token-input" type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} autoFocus
          aria-invalid={refused && value === '' ? true : undefined} aria-describedby="token-help" />
        <button type="submit">Open dashboard</button>
      </form>
    </section>
  );
}
