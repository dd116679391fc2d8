import type { Context } from '../api/types';
import { formatAgo, formatTime, formatWho } from '../lib/format';
import { requestHref } from '../lib/links';
import { href } from '../lib/router';

/** Who, when, and through which request a change was made. */
export function ContextLine({ context, at }: { context: Context | null; at: string }) {
  return (
    <span className="context-line">
      {context?.user !== null && context?.user !== undefined
        ? <a className="who" href={href('/', { user: String(context.user) })} title={`All changes by ${context.user}`}>{formatWho(context)}</a>
        : <span className="who" title={context ? `database user ${context.dbUser}` : undefined}>{formatWho(context)}</span>}
      {/* The exact time is shown, not only in a tooltip: touch and keyboard users cannot hover. */}
      <span className="when"><time dateTime={at}>{formatTime(at)}</time> <span className="ago">({formatAgo(at)})</span></span>
      {context && (context.method || context.url) && (
        <span className="url">{[context.method, context.url].filter(Boolean).join(' ')}</span>
      )}
      {context && (
        <a className="request-link" href={requestHref(context.id)}>
          {context.requestId ?? 'transaction'}
        </a>
      )}
    </span>
  );
}
