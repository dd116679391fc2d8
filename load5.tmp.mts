import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { createContext } from './packages/server/src/context/request-context.js';
const [db, table, secs] = [process.argv[2], process.argv[3], Number(process.argv[4] ?? 10)];
const c = new pg.Client({ connectionString: `postgres://root@127.0.0.1:5498/${db}` });
await c.connect();
const end = Date.now() + secs * 1000; let n = 0;
while (Date.now() < end) {
  const id = 1 + ((n * 7919) % 10000);
  await c.query(`${createContext({ user: 'u', requestId: randomUUID(), method: 'PUT', url: '/x' }).comment}UPDATE ${table} SET quantity = quantity + 1, updated_at = now() WHERE id = ${id}`);
  n++;
}
console.log(db, table, n, 'ops');
await c.end();
