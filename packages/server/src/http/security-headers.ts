/**
 * Headers of every answer of the API (its data, its errors, its exports), wherever it is mounted: never stored by a
 * browser or a proxy (a record's history is personal data, and an API authorized by a cookie session would otherwise
 * leave it in the browser's cache), never sniffed into another type, framed or rendered as a page.
 */
export const API_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

/**
 * The dashboard's Content-Security-Policy: its scripts, styles and API calls come from its own origin only (the built
 * page loads module scripts and a stylesheet from its assets/, and calls the API relative to its <base>); styles
 * set by its components inline are allowed, images also as data: URLs (its icon); no plugin, no other <base>, no
 * framing. The dashboard keeps the API token in localStorage, and this is what stops injected script from reading it.
 */
export const DASHBOARD_CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "connect-src 'self'",
  "font-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/**
 * Headers of the dashboard's page and files. The referrer is kept for the page's own requests (same-origin: an
 * application's authorize() may look at it) and never sent elsewhere.
 */
export const DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'content-security-policy': DASHBOARD_CONTENT_SECURITY_POLICY,
};
