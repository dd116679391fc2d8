// Test fixture: starts an embedded cluster, prints its URL and waits to be killed.
import { startEmbeddedDatabase } from './embedded-database.js';

const database = await startEmbeddedDatabase({ dataDir: process.argv[2], port: 54370 });
process.stdout.write(`${database.url}\n`);
setInterval(() => undefined, 1000);
