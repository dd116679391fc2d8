/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `pnpm --filter @rowtrail/ui dev` proxies /api to a running `rowtrail serve` (ROWTRAIL_API, default http://127.0.0.1:4000).
// base './': the page loads its files, and calls the API, relative to where it is served (the server names that
// place in a <base> element), so an application can mount the dashboard under a path of its own.
export default defineConfig({
  plugins: [react()],
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': process.env.ROWTRAIL_API ?? 'http://127.0.0.1:4000' } },
  // Vitest allows .only unless $CI is set, and .ci/run does not set it: a stray it.only would skip the rest of a file.
  test: { allowOnly: false },
});
