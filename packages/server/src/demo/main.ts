import 'reflect-metadata';
import { startDatabase } from '../database/start-database.js';
import { prepareDropDemoDatabase } from './demo-database.js';
import { parseDemoOptions } from './demo-options.js';
import { seedDemo } from './seed-demo.js';
import { serveDemo } from './serve-demo.js';

const write = (line: string) => process.stdout.write(`${line}\n`);
const cleanups: (() => Promise<void>)[] = [];
let stopping = false;

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      process.stderr.write(`demo: while stopping: ${(error as Error).message}\n`);
    }
  }
  process.exit(code);
}

process.on('SIGINT', () => {
  if (!stopping) write('\nStopping the demo...'); // Ctrl-C may arrive twice: from the terminal and relayed by pnpm/tsx
  void stop(0);
});
// Ctrl-C reaches the embedded PostgreSQL too, so connections may break while stopping: that is expected, not a crash.
process.on('uncaughtException', (error) => {
  if (stopping) return;
  process.stderr.write(`demo: ${error.stack ?? error.message}\n`);
  void stop(1);
});
process.on('SIGTERM', () => void stop(0));

try {
  const options = parseDemoOptions(process.argv.slice(2));
  write(process.env.DATABASE_URL ? 'Using PostgreSQL at $DATABASE_URL' : 'Starting embedded PostgreSQL (data in .rowtrail/demo)...');
  // the demo starts from an empty database on every run, so a cluster an older PostgreSQL made is simply replaced
  const database = await startDatabase({ name: 'demo', disposable: true, log: (m) => { if (m.startsWith('Rowtrail:')) write(m); } });
  cleanups.push(() => database.stop());
  if (options.dropDatabaseOnExit) {
    const drop = await prepareDropDemoDatabase(database.url, options.database);
    // Runs after the server closed (cleanups run in reverse), before an embedded PostgreSQL stops.
    cleanups.push(async () => {
      await drop();
      write(`Dropped the ${options.database} database.`);
    });
  }
  const url = await seedDemo(database.url, options.database, write);
  if (!options.serve) {
    write('Seeded (--seed-only): not serving.');
    await stop(0);
  } else {
    const server = await serveDemo(url, options, write);
    cleanups.push(server.close);
  }
} catch (error) {
  process.stderr.write(`demo: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  await stop(1);
}
