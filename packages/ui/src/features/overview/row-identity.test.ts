import { describe, expect, it } from 'vitest';
import { parseExactJson } from '../../lib/exact-json';
import { identifyingFields } from './row-identity';

const customer = { id: 1, name: 'Alice Martin', tier: 'standard', email: 'alice@example.com', notes: null, updated_at: '2026-11-20T10:00:00+00:00' };

describe('the fields that say which row an insert or delete was', () => {
  it('prefer identifying column names (name, email, sku …) over the row\'s column order', () => {
    expect(identifyingFields(customer, { id: 1 })).toEqual([
      { column: 'name', text: 'Alice Martin', isText: true },
      { column: 'email', text: 'alice@example.com', isText: true },
    ]);
    expect(identifyingFields({ id: 7, sku: 'PAP-007', name: 'Paper filters', stock: 3 }, { id: 7 }).map((f) => f.column)).toEqual(['name', 'sku']);
    expect(identifyingFields({ id: 1, Full_Name: 'A', contact: 'x' }, { id: 1 }, 1).map((f) => f.column)).toEqual(['Full_Name']);
  });

  it('fall back to other short texts, then references and other numbers, never times, long texts, nulls or the key', () => {
    const order = parseExactJson('{"id": 4, "lines": [], "total": 24.90, "status": "cart", "updated_at": "2026-11-20T10:00:00+00:00", "customer_id": 3, "tracking_number": null}') as Record<string, unknown>;
    expect(identifyingFields(order, { id: 4 })).toEqual([
      { column: 'status', text: 'cart', isText: true },
      { column: 'customer_id', text: '3', isText: false },
    ]);
    expect(identifyingFields(order, { id: 4 }, 3)[2]).toEqual({ column: 'total', text: '24.90', isText: false }); // every digit
    expect(identifyingFields({ id: 1, description: 'x'.repeat(200), code: '' }, { id: 1 })).toEqual([]);
  });

  it('skip plain dates and times of day as they skip date-times', () => {
    const row = { id: 9, day: '2026-12-04', opens: '08:30:00', ends: '17:00:00+01', old: '0044-03-15 BC', status: 'open', shop_id: 2 };
    expect(identifyingFields(row, { id: 9 })).toEqual([
      { column: 'status', text: 'open', isText: true },
      { column: 'shop_id', text: '2', isText: false },
    ]);
    // texts that only start like a date are texts
    expect(identifyingFields({ id: 1, batch: '2026-12-04 north' }, { id: 1 }).map((f) => f.column)).toEqual(['batch']);
  });

  it('cut long values to what a feed item can show', () => {
    const [field] = identifyingFields({ id: 1, name: 'n'.repeat(100) }, { id: 1 });
    expect(field.text).toBe(`${'n'.repeat(59)}…`);
  });
});
