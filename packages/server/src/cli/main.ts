import { buildProgram } from './program.js';

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    const message = error instanceof Error ? error.message || error.name : String(error);
    // library errors name Rowtrail already: one prefix is enough
    process.stderr.write(`rowtrail: ${message.replace(/^Rowtrail: /, '')}\n`);
    process.exitCode = 1;
  });
