import { buildProgram } from './program.js';

// A reader that stops early (`rowtrail status | head -1`) closes the pipe: the rest of the output has nowhere to go, which
// is no failure of the command (as export, which stops there). Without a listener the EPIPE would crash the CLI with a
// stack trace; the command runs to its end and exits as it would have, its later writes going nowhere.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    const message = error instanceof Error ? error.message || error.name : String(error);
    // library errors, and the core SQL's ("rowtrail: …"), name Rowtrail already: one prefix is enough
    process.stderr.write(`rowtrail: ${message.replace(/^rowtrail: /i, '')}\n`);
    process.exitCode = 1;
  });
