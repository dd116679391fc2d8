import { describe, expect, it } from 'vitest';
import { parseDemoOptions } from './demo-options.js';

describe('demo options', () => {
  it('keeps the database by default and drops it on exit when asked (end-to-end runs)', () => {
    expect(parseDemoOptions([], {}).dropDatabaseOnExit).toBe(false);
    const options = parseDemoOptions(['--', '--database', 'rowtrail_e2e_4242', '--drop-database-on-exit'], {});
    expect(options).toMatchObject({ database: 'rowtrail_e2e_4242', dropDatabaseOnExit: true });
  });
});
