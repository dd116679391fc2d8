/** Port and token of the server the end-to-end tests start (override with E2E_PORT / E2E_TOKEN). */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 4190);
export const E2E_TOKEN = process.env.E2E_TOKEN ?? 'e2e-token-rowtrail-dashboard';
/**
 * The database the demo (re)creates for this run: one per run (the runner's process id), so two runs on one
 * PostgreSQL server never drop each other's data. Kept in the environment so Playwright's workers see the same name.
 * The demo drops it when it stops (--drop-database-on-exit).
 */
export const E2E_DATABASE = (process.env.E2E_DATABASE ??= `rowtrail_e2e_${process.pid}`);
