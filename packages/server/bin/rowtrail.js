#!/usr/bin/env node
// Runs the TypeScript CLI (the package ships sources) in this very process, with tsx's loader
// registered first: no child process, so signals (Ctrl-C, SIGTERM/SIGHUP from a supervisor) reach
// the CLI itself, and its exit code is this process's exit code.
await import('tsx');
await import(new URL('../src/cli/main.ts', import.meta.url).href);
