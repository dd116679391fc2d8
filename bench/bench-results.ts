import type { MachineInfo } from './bench-database.js';
import type { BulkWriteResult } from './bulk-write-bench.js';
import type { ReadSideResult } from './read-side-bench.js';
import type { RequestWriteResult } from './request-write-bench.js';
import type { RoundTripResult } from './round-trip-bench.js';

/** Everything one `pnpm bench` run measured. */
export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  smoke: boolean;
  machine: MachineInfo;
  bulk?: BulkWriteResult;
  request?: RequestWriteResult;
  roundTrip?: RoundTripResult;
  readSide?: ReadSideResult;
}
