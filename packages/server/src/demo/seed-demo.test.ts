import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { dropDatabaseWhenIdle } from '../database/drop-database.js';
import { contextRow } from '../query/event-sql.js';
import { demoFacts } from './demo-facts.js';
import { seedDemo } from './seed-demo.js';

const serverUrl = inject('databaseUrl');
const name = `rowtrail_test_demo_${randomBytes(4).toString('hex')}`;
let pool: pg.Pool | undefined;

afterAll(async () => {
  await pool?.end();
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await dropDatabaseWhenIdle(admin, name);
  await admin.end();
});

describe('the demo seed', () => {
  it('writes the story the dashboard, the docs and the end-to-end tests rely on, and can run again', async () => {
    const lines: string[] = [];
    await seedDemo(serverUrl, name, (line) => lines.push(line));
    const url = await seedDemo(serverUrl, name, (line) => lines.push(line)); // a re-run starts afresh
    pool = new pg.Pool({ connectionString: url, max: 2 });
    const q = async (sql: string, params: unknown[] = []) => (await pool!.query(sql, params)).rows;

    const email = demoFacts.emailChange;
    expect(await q(`SELECT d.changes -> 'email' AS email, c.metadata ->> 'user' AS "user"
      FROM rowtrail.event d JOIN rowtrail.context c ON c.id = d.context_id WHERE c.metadata ->> 'requestId' = $1`, [email.requestId]))
      .toEqual([{ email: [email.old, email.new], user: email.user }]);

    const bulk = demoFacts.bulkPriceChange;
    const bulkRows = await q(`SELECT count(DISTINCT d.txid)::int AS statements, count(*)::int AS events FROM rowtrail.event d
      JOIN rowtrail.context c ON c.id = d.context_id WHERE c.metadata ->> 'requestId' = $1`, [bulk.requestId]);
    expect(bulkRows).toEqual([{ statements: 1, events: bulk.products.length }]);

    const fix = demoFacts.rawSqlCorrection;
    expect(await q(`SELECT c.metadata, c.application_name, d.changes -> 'stock' ->> 1 AS stock FROM rowtrail.event d
      JOIN rowtrail.context c ON c.id = d.context_id WHERE c.application_name = $1`, [fix.applicationName]))
      .toEqual([{ metadata: {}, application_name: fix.applicationName, stock: String(fix.stock) }]);

    const exact = demoFacts.exactNumbers; // numbers a JS number would round, stored and diffed with every digit
    expect(await q(`SELECT d.operation, (d.changes -> 'attributes')::text AS attributes FROM rowtrail.event d
      JOIN rowtrail.context c ON c.id = d.context_id WHERE c.metadata ->> 'requestId' = $1 ORDER BY d.event_id`, [exact.requestId])).toEqual([
      { operation: 'INSERT', attributes: exact.oldAttributes },
      { operation: 'UPDATE', attributes: `[${exact.oldAttributes}, ${exact.newAttributes}]` },
    ]);

    const large = demoFacts.largeRecord;
    expect(await q(`SELECT count(*)::int AS n FROM rowtrail.event WHERE table_name = $1
      AND record_key = (SELECT jsonb_build_object('id', id) FROM product WHERE sku = $2)`, [large.table, large.sku])).toEqual([{ n: large.versions }]);

    // A request's URL names the order it changed (the ids are the database's, not the story's order of placing)
    const orderUrls = await q(`SELECT DISTINCT d.record_key ->> 'id' AS id, c.metadata ->> 'url' AS url FROM rowtrail.event d
      JOIN LATERAL ${contextRow('rowtrail', 'd.context_id')} c ON true
      WHERE d.table_name = 'public.shop_order' AND c.metadata ->> 'url' ~ '/orders/\\d+'`);
    expect(orderUrls.length).toBeGreaterThan(10);
    for (const { id, url } of orderUrls) expect(url, `order ${id}`).toMatch(new RegExp(`/orders/${id}(/|$)`));

    // Secrets never reach history; history is spread over two weeks, oldest first.
    expect(await q(`SELECT count(*)::int AS n FROM rowtrail.event WHERE changes ? 'password_hash'`)).toEqual([{ n: 0 }]);
    const [span] = await q(`SELECT min(created_at) < now() - interval '13 days' AS old_enough, max(created_at) <= now() AS not_future,
      bool_and(ordered) AS ordered FROM (SELECT created_at, created_at >= lag(created_at, 1, '-infinity') OVER (ORDER BY event_id) AS ordered FROM rowtrail.event) t`);
    expect(span).toEqual({ old_enough: true, not_future: true, ordered: true });
    expect(lines.some((line) => line.includes(`${email.old}" → "${email.new}`))).toBe(true);
  });
});
