import pg from 'pg';
import { installTracked } from '../typeorm/install-tracked.js';
import { createDemoDataSource } from './demo-data-source.js';
import { recreateDemoDatabase } from './demo-database.js';
import { demoFacts } from './demo-facts.js';
import { writeDemoHistory } from './demo-scenario.js';
import { DemoTimeline } from './demo-timeline.js';
import { historySummary, printRecordHistory } from './print-history.js';

/** Recreates the demo database, installs Rowtrail, writes the story and prints a few histories. Returns the database URL. */
export async function seedDemo(serverUrl: string, databaseName: string, write: (line: string) => void): Promise<string> {
  const url = await recreateDemoDatabase(serverUrl, databaseName);
  const dataSource = createDemoDataSource(url);
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  try {
    await dataSource.initialize();
    const installed = await installTracked(dataSource);
    write(`Rowtrail installed in ${databaseName}: tracking ${installed.updatedTables.join(', ')}`);
    const started = Date.now();
    const timeline = new DemoTimeline(pool);
    await writeDemoHistory(dataSource, timeline, url);
    await timeline.apply();
    write(`Demo shop wrote ${await historySummary(pool)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    write('');
    await printRecordHistory(pool, demoFacts.emailChange.table, { id: 1 }, write);
    await printRecordHistory(pool, 'public.shop_order', { id: 2 }, write);
    const { rows } = await pool.query(`SELECT id FROM product WHERE sku = $1`, [demoFacts.rawSqlCorrection.sku]);
    await printRecordHistory(pool, 'public.product', { id: rows[0].id }, write);
    write('');
    return url;
  } finally {
    await pool.end();
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}
