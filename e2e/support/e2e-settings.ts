/** Port and token of the server the end-to-end tests start (override with E2E_PORT / E2E_TOKEN). */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 4190);
export const E2E_TOKEN = process.env.E2E_TOKEN ?? 'e2e-token-rowtrail-dashboard';
