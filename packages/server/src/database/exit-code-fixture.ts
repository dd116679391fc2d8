// Test fixture: starts and stops an embedded cluster the way Rowtrail does, then ends with exit code 3.
import { startEmbeddedDatabase } from './embedded-database.js';

const database = await startEmbeddedDatabase({ dataDir: process.argv[2], port: 54380 });
await database.stop();
process.exitCode = 3;
