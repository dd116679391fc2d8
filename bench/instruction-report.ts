import { INSTRUCTION_VARIANTS, type CaptureInstructionsResult, type InstructionVariant } from './capture-instructions.js';

const LABEL: Record<InstructionVariant, string> = {
  untracked: 'Untracked',
  classic: 'Classic audit trigger (section 1)',
  emptyCapture: 'Tracked, the update capture with an empty body (the trigger call with its transition tables only; measures only)',
  historyInsertOnly: 'Tracked, the update capture running only its single-row INSERT of the history row (measures only)',
  trackedKnownContext: 'Tracked, in a context the session already stored (no context row)',
  tracked: 'Tracked, in a new request context (history row and context row)',
  trackedWithoutHistoryIndexes: 'The same, the history table without its 5 indexes',
  trackedWithoutContextIndexes: 'The same, `rowtrail.context` without its 3 indexes',
  trackedTimeOnlyBrin: 'The same, the history table\'s BRIN index on the time alone, as before core version 11 (measures only)',
};

const int = (v: number) => Math.round(v).toLocaleString('en-US');

/** Section 2's instruction counts: a table, what it shows, and what each run left behind. */
export function instructionReport(result: CaptureInstructionsResult | undefined): string[] {
  if (!result) return [];
  if ('unavailable' in result) return [`Instructions per UPDATE: not counted (${result.unavailable}).`, ''];
  const p = result.perStatement;
  // a report rendered from the results of a run before a variant was added (--render) leaves that variant out
  const variants = INSTRUCTION_VARIANTS.filter((v) => p[v] !== undefined);
  const capture = p.tracked - p.untracked;
  const classicTrigger = p.classic - p.untracked;
  const parts = {
    call: p.emptyCapture - p.untracked,
    insert: p.historyInsertOnly - p.emptyCapture,
    historyIndexes: p.tracked - p.trackedWithoutHistoryIndexes,
    logic: p.trackedKnownContext - p.historyInsertOnly,
    contextRow: p.tracked - p.trackedKnownContext,
    contextIndexes: p.tracked - p.trackedWithoutContextIndexes,
  };
  const out = [
    `Instructions the server executes per single-row UPDATE, each its own transaction with its commit (valgrind's callgrind; ${result.postgres}, the benchmark server's own binaries, as a single-user backend on a scratch copy of this section's tables, every run starting from the same copy; the difference between a run of ${int(result.baseline)} statements and one of ${int(result.baseline + result.statements)}, divided by ${int(result.statements)}, so start-up and cache warming cancel out). A count does not depend on the machine's load: repeated runs give the same count to within 0.2%, so it shows differences between capture variants that throughput slices on a shared machine cannot. It leaves out the kernel's work (writing and flushing WAL, the network), which an untracked UPDATE spends as much of as a tracked one.`,
    '',
    '| Variant | Instructions per UPDATE | Added to the untracked UPDATE | Untracked ÷ variant |',
    '|---|---|---|---|',
    ...variants.map((v) => `| ${LABEL[v]} | ${int(p[v])} | ${v === 'untracked' ? '—' : `+${int(p[v] - p.untracked)}`} | ${(p.untracked / p[v]).toFixed(2)}× |`),
    '',
    `The capture of an UPDATE in a new request context executes ${(capture / classicTrigger).toFixed(1)}× the instructions the classic trigger adds (+${int(classicTrigger)}). Where they go, from the differences between the variants: calling the statement trigger with its transition tables, and the key-change trigger's check, ${int(parts.call)}; the INSERT of the history row with its diff ${int(parts.insert)}, of which its table's indexes ${int(parts.historyIndexes)}; reading the context id, counting the rows, and checking whether the session already stored the context ${int(parts.logic)}; the context row ${int(parts.contextRow)} (its indexes ${int(parts.contextIndexes)}). The trigger call and the history row's INSERT alone, which every capture of a change needs, add ${((parts.call + parts.insert) / classicTrigger).toFixed(1)}× the instructions of the whole classic trigger, which writes its one row from a row-level trigger.${p.trackedTimeOnlyBrin === undefined ? '' : ` Indexing the transaction id in the history table's BRIN index too (core version 11, which chained exports read) adds ${int(p.tracked - p.trackedTimeOnlyBrin)} to the time-only index it replaced.`}`,
    '',
    `Checked after the longer run: ${variants.map((v) => `${LABEL[v].replace(/ \(.*\)$/, '').toLowerCase()}: ${result.checks[v]}`).join('; ')}.`,
    '',
  ];
  return out;
}
