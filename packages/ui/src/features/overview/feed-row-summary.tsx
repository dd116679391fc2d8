import { Fragment } from 'react';
import type { DiffEvent } from '../../api/types';
import { ValueText } from '../../components/value-text';
import { identifyingFields } from './row-identity';

/**
 * An INSERT or DELETE in the feed: how many fields the row had and, so the item says which row it was without opening
 * it, one or two identifying ones (`deleted with 6 fields: name “Alice Martin”, email “alice@…”`). Inserts and deletes
 * are summarised alike; the record page shows the whole row.
 */
export function FeedRowSummary({ event }: { event: DiffEvent }) {
  const count = Object.keys(event.changes).length;
  const fields = identifyingFields(event.changes, event.recordKey);
  return (
    <p className="muted row-summary">
      {event.operation === 'INSERT' ? 'created' : 'deleted'} with {count} {count === 1 ? 'field' : 'fields'}
      {fields.length > 0 && ': '}
      {fields.map((f, i) => (
        <Fragment key={f.column}>
          {i > 0 && ', '}
          <span className="field-name">{f.column}</span> <span className="value" dir="auto">{f.isText ? <>“<ValueText text={f.text} />”</> : <ValueText text={f.text} />}</span>
        </Fragment>
      ))}
    </p>
  );
}
