#!/usr/bin/env node
// Runs the CLI in this very process (no child process, so signals from a supervisor reach the CLI
// itself, and its exit code is this process's). In the repository it runs the TypeScript sources
// through tsx; an installed package runs its compiled dist/, registering tsx when the application
// has it, so TypeScript DataSource modules (--data-source) load too.
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(sources)) {
  await import('tsx');
  await import(sources.href);
} else {
  try {
    await import('tsx');
  } catch (error) {
    // no tsx: JavaScript DataSource modules only (a .ts one fails with a hint)
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  }
  await import(new URL('../dist/cli/main.js', import.meta.url).href);
}
