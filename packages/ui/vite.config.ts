import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `pnpm --filter @rowtrail/ui dev` proxies /api to a running `rowtrail serve` (ROWTRAIL_API, default http://127.0.0.1:4000).
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': process.env.ROWTRAIL_API ?? 'http://127.0.0.1:4000' } },
});
