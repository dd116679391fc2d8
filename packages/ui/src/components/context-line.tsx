import type { Context } from '../api/types';
import { contextKind, contextTitle, formatWho, hasApplicationContext, hasUser, isBlankUser } from '../lib/format';
import { requestHref } from '../lib/links';
import { href } from '../lib/router';
import { EventTime } from './event-time';
import { WhoText } from './who';

/**
 * Who, when, and through which request a change was made. A user links to the feed of their changes; a blank user name
 * (`{"user": ""}`) is marked and not linked: the feed's User filter reads an empty name as no filter (it trims what is
 * typed), so its link would open every change.
 */
export function ContextLine({ context, at }: { context: Context | null; at: string }) {
  return (
    <span className="context-line">
      {hasUser(context) && !isBlankUser(context)
        ? <a className="who" href={href('/', { user: String(context.user) })} title={`All changes by ${context.user}`}>{formatWho(context)}</a>
        : context && !hasApplicationContext(context)
          // a write without application context (psql, a migration): the feed finds these by their database user
          ? <a className="who" href={href('/', { dbUser: context.dbUser })} title={`All changes made without application context by database role ${context.dbUser}`}>{formatWho(context)}</a>
          : <span className="who" title={context ? `${isBlankUser(context) ? 'blank user name, ' : ''}database user ${context.dbUser}` : undefined}><WhoText context={context} /></span>}
      <EventTime at={at} />
      {context && (context.method || context.url) && (
        <span className="url">{[context.method, context.url].filter(Boolean).join(' ')}</span>
      )}
      {context && <ContextLink context={context} />}
    </span>
  );
}

/**
 * The link to the page of the change's context, saying what that page is (its title is the tooltip): the request id for
 * a request, "context <id>" for a job or other application context without a request id, "transaction" (without
 * application context, read out in full) for a write made without application context, e.g. from psql.
 */
function ContextLink({ context }: { context: Context }) {
  const kind = contextKind(context);
  return (
    <a className="request-link" href={requestHref(context.id)} title={contextTitle(context)}>
      {kind === 'request' ? context.requestId
        : kind === 'context' ? <>context <span className="key">{context.id}</span></>
        : <>transaction<span className="sr-only"> without application context</span></>}
    </a>
  );
}
