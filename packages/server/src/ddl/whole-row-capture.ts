import { refuseRenamedTable } from './renamed-table-guard.js';
import { quoteLiteral } from './quote.js';
import type { CaptureParts } from './capture-parts.js';

/** The INSERT and DELETE captures' body: the new (resp. old) rows, diff = full values. */
export function wholeRowCapture(parts: CaptureParts, operation: 'INSERT' | 'DELETE', transition: string, guard = ''): string {
  const { fullRow, insertInto, historyRow, prologue, saveContext } = parts;
  return `${prologue()}${guard}
  ${insertInto}
  SELECT ${historyRow(operation, 'r.', fullRow('r.'))}
  FROM ${transition} r;
  IF FOUND THEN
    ${saveContext}
  END IF;
  RETURN NULL;
END`;
}

/** The TRUNCATE capture's body. */
export function truncateCapture(parts: CaptureParts): string {
  const { spec, source, tableName } = parts;
  // TRUNCATE: every row still in the table, recorded as a DELETE, read by a BEFORE trigger that runs under
  // TRUNCATE's exclusive lock. In READ COMMITTED each statement of the function takes a new snapshot, so it
  // also sees rows committed while TRUNCATE waited for that lock; a REPEATABLE READ or SERIALIZABLE snapshot
  // may not, and TRUNCATE (not MVCC-safe) would remove rows history never saw, so it is refused there; so it
  // is for a role that row-level security shows only some rows (TRUNCATE removes them all).
  // ONLY: a TRUNCATE reaches inheritance children too, and fires their own triggers.
  const truncateGuard = `${refuseRenamedTable(spec, 'history capture')}
  IF current_setting('transaction_isolation') IN ('repeatable read', 'serializable') THEN
    RAISE EXCEPTION 'Rowtrail: TRUNCATE of tracked table % in a % transaction refused: it could remove rows this transaction''s snapshot cannot see, which history would miss', ${tableName}, upper(current_setting('transaction_isolation'))
      USING ERRCODE = 'feature_not_supported', HINT = 'TRUNCATE it in a READ COMMITTED transaction, or use DELETE.';
  END IF;
  IF row_security_active(${quoteLiteral(source)}::regclass) THEN
    RAISE EXCEPTION 'Rowtrail: TRUNCATE of tracked table % refused: row-level security hides rows of it from this role, and history would miss them', ${tableName}
      USING ERRCODE = 'insufficient_privilege', HINT = 'Use DELETE, which removes (and records) only the rows this role may see, or TRUNCATE as a role that sees them all.';
  END IF;`;
  return wholeRowCapture(parts, 'DELETE', `ONLY ${source}`, truncateGuard);
}
