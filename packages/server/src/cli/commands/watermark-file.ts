import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { removeOnInterrupt } from './interrupt-cleanup.js';

/** Flushes a file's data to disk (fsync), so a rename that follows cannot reach the disk before it. */
export async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a directory's entries (a rename into it) to disk. */
export const syncDirectory = (directory: string): Promise<void> => syncFile(directory);

/**
 * The watermark file of `rowtrail export --watermark-file`: the watermark of the last complete export of a chain.
 * Held under a lock file beside it for the whole run: two runs of one chain at once would both export from the same
 * watermark, and the one whose snapshot is older could store its watermark last, making the next run export again
 * what the other had already written, or, with a shared --out, skip what its file lost.
 */
export class WatermarkFile {
  private released = false;

  // an interrupted run removes its lock, so the next run need not take over a stale one
  private readonly forgetLock: () => void;

  private constructor(readonly file: string, private readonly lock: string, readonly watermark: string | undefined) {
    this.forgetLock = removeOnInterrupt(lock);
  }

  /** Takes the chain's lock and reads its watermark (undefined: no file yet, the chain's first export). */
  static async open(file: string): Promise<WatermarkFile> {
    const lock = `${file}.lock`;
    await takeLock(file, lock);
    try {
      return new WatermarkFile(file, lock, await readWatermark(file));
    } catch (error) {
      await rm(lock, { force: true });
      throw error;
    }
  }

  /**
   * Replaces the file whole with the next watermark, durably: written beside it, flushed, renamed, and the rename
   * flushed, so after a crash the file holds the old watermark or the new one. Call it only once the export it
   * belongs to is itself on disk.
   */
  async store(watermark: string): Promise<void> {
    const partial = `${this.file}.${process.pid}-${randomBytes(4).toString('hex')}.partial`;
    const forgetPartial = removeOnInterrupt(partial);
    try {
      await writeFile(partial, `${watermark}\n`, { flag: 'wx' });
      await syncFile(partial);
      await rename(partial, this.file);
      await syncDirectory(path.dirname(path.resolve(this.file)));
    } catch (error) {
      await rm(partial, { force: true });
      throw new Error(`--watermark-file ${this.file}: the export is complete, but its watermark could not be stored: ${(error as Error).message}`, { cause: error });
    } finally {
      forgetPartial();
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await rm(this.lock, { force: true });
    this.forgetLock();
  }
}

async function readWatermark(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`--watermark-file ${file}: cannot read it: ${(error as Error).message}`, { cause: error });
  }
}

/** Creates the lock file with this process's id; one left by a process that no longer runs is taken over. */
async function takeLock(file: string, lock: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(lock, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
        throw new Error(`--watermark-file ${file}: cannot create its lock file ${lock}: ${(error as Error).message}`, { cause: error });
      }
    }
    const holder = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
    // no process id yet (being written this instant) counts as running
    if (!(Number.isInteger(holder) && holder > 0) || isRunning(holder)) {
      throw new Error(`--watermark-file ${file}: another export of this chain is running (${holder > 0 ? `process ${holder}` : 'a process'} holds ${lock}); if none is, remove ${lock}`);
    }
    await rm(lock, { force: true }); // left by a run that ended without removing it (killed, or the machine stopped)
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // running, as another user
  }
}
