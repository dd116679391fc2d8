import { buildCaptureDdl } from './packages/server/src/ddl/capture-ddl.js';
import { resolveSchemaOptions } from './packages/server/src/ddl/tracked-table-spec.js';
import { benchTableSpec } from './bench/bench-table.js';
const table = process.argv[2];
const ddl = buildCaptureDdl(benchTableSpec(table), resolveSchemaOptions());
console.log([`CREATE TABLE ${table} (LIKE req_tracked INCLUDING ALL)`, `INSERT INTO ${table} SELECT * FROM req_tracked`, ...ddl.statements].map((s) => s + ';').join('\n'));
