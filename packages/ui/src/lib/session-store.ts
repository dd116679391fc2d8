/** The tab's sessionStorage, or null where the browser refuses it to the page (some privacy modes throw on access). */
export function sessionStore(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
