import { buildProgram } from './program.js';

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`rowtrail: ${error instanceof Error ? error.message || error.name : String(error)}\n`);
    process.exitCode = 1;
  });
