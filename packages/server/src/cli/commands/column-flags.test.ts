import { describe, expect, it } from 'vitest';
import { assignColumnFlags } from './column-flags.js';

const tables = [
  { schema: 'public', table: 'account', columns: [{ name: 'id' }, { name: 'password_hash' }] },
  { schema: 'shop', table: 'item', columns: [{ name: 'sku' }, { name: 'token' }] },
  { schema: 'archive', table: 'item', columns: [{ name: 'sku' }, { name: 'token' }] },
];

describe('--exclude / --ignore entries', () => {
  it('assigns "table.column" and "schema.table.column" to the --table they name', () => {
    const assigned = assignColumnFlags('--exclude', ['account.password_hash', 'shop.item.token'], tables);
    expect(Object.fromEntries(assigned)).toEqual({ 'public.account': ['password_hash'], 'shop.item': ['token'], 'archive.item': [] });
  });

  it('refuses an entry that names no --table, instead of recording the column', () => {
    expect(() => assignColumnFlags('--exclude', ['acct.password_hash'], tables))
      .toThrow('--exclude acct.password_hash: names no table given with --table (given: public.account, shop.item, archive.item)');
    expect(() => assignColumnFlags('--exclude', ['other.account.password_hash'], tables)).toThrow(/names no table given with --table/);
  });

  it('refuses a column the table does not have', () => {
    expect(() => assignColumnFlags('--ignore', ['account.pasword_hash'], tables)).toThrow('--ignore account.pasword_hash: public.account has no column "pasword_hash"');
  });

  it('refuses a table name that two --table values share, and a malformed entry', () => {
    expect(() => assignColumnFlags('--exclude', ['item.token'], tables)).toThrow(/"item" is more than one --table \(shop\.item, archive\.item\); write "schema\.table\.column"/);
    expect(() => assignColumnFlags('--exclude', ['token'], tables)).toThrow(/expected "table\.column" or "schema\.table\.column"/);
    expect(() => assignColumnFlags('--exclude', ['a.b.c.d'], tables)).toThrow(/expected/);
  });
});
