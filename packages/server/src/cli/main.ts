import { buildProgram } from './program.js';

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    const message = error instanceof Error ? error.message || error.name : String(error);
    // library errors, and the core SQL's ("rowtrail: …"), name Rowtrail already: one prefix is enough
    process.stderr.write(`rowtrail: ${message.replace(/^rowtrail: /i, '')}\n`);
    process.exitCode = 1;
  });
