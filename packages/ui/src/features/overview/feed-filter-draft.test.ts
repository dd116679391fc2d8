// The time fields are read in the browser's zone: run west of Greenwich so local and UTC differ.
process.env.TZ = 'America/Los_Angeles';

import { describe, expect, it } from 'vitest';
import { toLocalInput } from '../../lib/route-params';
import { applyDraft, hasUnappliedChanges, type FeedFilterDraft } from './feed-filter-draft';

const empty: FeedFilterDraft = { user: '', requestId: '', dbUser: '', from: '', to: '', after: '' };

describe('the filter form before Apply', () => {
  it('has no unapplied changes when it shows the applied filters', () => {
    const filters = { user: 'sophie.support', from: '2026-12-01T06:00:30.250Z', table: ['public.customer'] };
    const shown = { ...empty, user: 'sophie.support', from: toLocalInput(filters.from) };
    expect(hasUnappliedChanges(filters, shown)).toBe(false);
    expect(hasUnappliedChanges({}, { ...empty, user: '  ' })).toBe(false);
  });

  it('has unapplied changes when a typed value would change the filters', () => {
    expect(hasUnappliedChanges({}, { ...empty, user: 'sophie.support' })).toBe(true);
    expect(hasUnappliedChanges({ requestId: 'req-1' }, { ...empty, requestId: 'req-2' })).toBe(true);
    expect(hasUnappliedChanges({}, { ...empty, dbUser: 'postgres' })).toBe(true);
    expect(applyDraft({}, { ...empty, dbUser: ' postgres ' })).toMatchObject({ dbUser: 'postgres' });
    expect(hasUnappliedChanges({ from: '2026-12-01T06:00:00.000Z' }, empty)).toBe(true); // the field was cleared
    expect(hasUnappliedChanges({}, { ...empty, to: '2026-12-01T06:00' })).toBe(true);
    expect(hasUnappliedChanges({}, { ...empty, after: ' 7430:7433:7431 ' })).toBe(true);
    expect(hasUnappliedChanges({ after: '7430:7433:7431' }, { ...empty, after: '7430:7433:7431' })).toBe(false);
  });

  it('reads the time fields in the browser time zone and applies them as UTC instants', () => {
    expect(applyDraft({}, { ...empty, from: '2026-12-01T00:00', to: '2026-12-01T06:00' })).toMatchObject({ from: '2026-12-01T08:00:00.000Z', to: '2026-12-01T14:00:00.000Z' });
  });

  it('keeps an applied time exactly when its field was left alone (the field holds whole minutes)', () => {
    const filters = { from: '2026-12-01T06:00:30.123456Z', operation: ['UPDATE'] };
    expect(applyDraft(filters, { ...empty, user: 'a', from: toLocalInput(filters.from) })).toEqual({ ...filters, user: 'a', requestId: undefined, to: undefined, after: undefined });
  });
});
