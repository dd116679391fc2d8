import { rmSync } from 'node:fs';

/** The exit status a shell reports for a process ended by each signal (128 + its number). */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
type Signal = keyof typeof SIGNAL_EXIT;
const SIGNALS = Object.keys(SIGNAL_EXIT) as Signal[];

const files = new Set<string>();

function onSignal(signal: Signal): void {
  // synchronous: the process ends right after, and an async removal would not run
  for (const file of files) rmSync(file, { force: true });
  if (files.size > 0) process.stderr.write(`rowtrail: interrupted (${signal}); removed ${[...files].join(', ')}\n`);
  process.exit(SIGNAL_EXIT[signal]);
}

/**
 * Removes `file` if the process is interrupted (Ctrl-C, a supervisor's or cron's timeout SIGTERM, a closed terminal)
 * while it exists: an export's .partial file or a chain's lock file would otherwise stay behind, a file per interrupted
 * run. Returns the function that stops watching it (call it once the file is renamed or removed). Signals are handled
 * only while some file is watched, so the default behaviour stays everywhere else.
 */
export function removeOnInterrupt(file: string): () => void {
  if (files.size === 0) for (const signal of SIGNALS) process.on(signal, onSignal);
  files.add(file);
  return () => {
    if (!files.delete(file)) return;
    if (files.size === 0) for (const signal of SIGNALS) process.off(signal, onSignal);
  };
}
