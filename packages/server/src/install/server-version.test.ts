import { describe, expect, it } from 'vitest';
import { unsupportedServerReason } from './server-version.js';

describe('supported PostgreSQL versions', () => {
  it('names the server\'s version when it is older than 14', () => {
    expect(unsupportedServerReason(130023, '13.23')).toBe(
      'Rowtrail: PostgreSQL 14 or later is needed, and this server runs PostgreSQL 13.23; nothing was installed');
    expect(unsupportedServerReason(120000, '12.0 (Debian 12.0-1)')).toContain('runs PostgreSQL 12.0 (Debian 12.0-1);');
    expect(unsupportedServerReason(140000, '14.0')).toBeUndefined();
    expect(unsupportedServerReason(180004, '18.4')).toBeUndefined();
  });
});
