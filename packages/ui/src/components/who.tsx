import type { Context } from '../api/types';
import { formatWho, isBlankUser } from '../lib/format';
import { Placeholder, ValueView } from './value-view';

/**
 * Who made a change (formatWho), with a blank user name visible: an empty one as the framed **empty** marker (read out
 * "empty user name"), one of whitespace only with its whitespace marked, as values show them. Written as plain text,
 * `{"user": ""}` showed nobody, as if no one had made the change.
 */
export function WhoText({ context }: { context: Context | null }) {
  if (!context || !isBlankUser(context)) return <>{formatWho(context)}</>;
  const name = String(context.user);
  return name === ''
    ? <Placeholder kind="empty" className="who-blank" shown="empty" spoken="empty user name" />
    : <><span className="sr-only">user name of whitespace only: </span><ValueView value={name} className="who-blank" /></>;
}
