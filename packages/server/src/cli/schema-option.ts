import { InvalidArgumentError } from 'commander';
import { once } from './once-option.js';

/** The schema Rowtrail installs in when --schema is not given. */
export const DEFAULT_SCHEMA = 'rowtrail';

/**
 * The parser of the global --schema: given once, and no longer than PostgreSQL keeps (63 bytes): a longer name is cut
 * short by the server, so the schema status and install look for would never be the one created.
 */
export function schemaOption(): (value: string) => string {
  const given = once('--schema');
  return (value) => {
    const bytes = Buffer.byteLength(given(value), 'utf8');
    if (bytes > 63) throw new InvalidArgumentError(`--schema ${value}: a schema name is at most 63 bytes in PostgreSQL (this one has ${bytes}): give a shorter one`);
    return value;
  };
}

/** A word as a POSIX shell reads it back: as it is when plain, otherwise single-quoted. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_.,:=@%+\/-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * What a command this CLI suggests needs after it to act on the same installation: ` --schema <name>` for a schema other
 * than the default (advice followed as printed would otherwise look in "rowtrail"), nothing for the default.
 */
export function schemaFlag(schema: string): string {
  return schema === DEFAULT_SCHEMA ? '' : ` --schema ${shellWord(schema)}`;
}
