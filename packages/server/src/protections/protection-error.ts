/** SQLSTATE raised by every Rowtrail protection trigger. */
export const PROTECTION_SQLSTATE = 'RT001';

export interface ProtectionDetail {
  /** "schema.table" the refused write was aimed at. */
  table: string;
  /** Name of the protection that refused it ("append_only" for history tables). */
  protection: string;
  kind: 'protect' | 'read_only' | 'versioned' | 'fsm' | 'append_only' | string;
  /** INSERT, UPDATE, DELETE or TRUNCATE. */
  operation: string;
  /** Fields whose change was refused (read-only and versioned fields, the FSM field). */
  fields: string[];
  /** The refused transition of an FSM field. */
  transition: { from: unknown; to: unknown } | null;
}

/** A write refused by a protection. TypeORM wraps it in QueryFailedError: see protectionErrorOf(). */
export class ProtectionError extends Error implements ProtectionDetail {
  override name = 'ProtectionError';
  readonly code = PROTECTION_SQLSTATE;
  readonly table: string;
  readonly protection: string;
  readonly kind: string;
  readonly operation: string;
  readonly fields: string[];
  readonly transition: { from: unknown; to: unknown } | null;

  constructor(message: string, detail: ProtectionDetail, options?: { cause?: unknown }) {
    super(message, options);
    this.table = detail.table;
    this.protection = detail.protection;
    this.kind = detail.kind;
    this.operation = detail.operation;
    this.fields = detail.fields;
    this.transition = detail.transition;
  }
}

/** Turns a driver error raised by a protection trigger into a ProtectionError; returns other errors unchanged. */
export function mapProtectionError(error: unknown): unknown {
  const e = error as { code?: unknown; detail?: unknown; message?: unknown } | null;
  if (!e || e.code !== PROTECTION_SQLSTATE || typeof e.detail !== 'string') return error;
  let detail: ProtectionDetail & { rowtrail?: string };
  try {
    detail = JSON.parse(e.detail);
  } catch {
    return error;
  }
  if (detail.rowtrail !== 'protection') return error;
  return new ProtectionError(String(e.message), {
    table: detail.table, protection: detail.protection, kind: detail.kind, operation: detail.operation,
    fields: detail.fields ?? [], transition: detail.transition ?? null,
  }, { cause: error });
}

/** The ProtectionError behind an error: itself, or the driverError/cause an ORM wrapped it in. */
export function protectionErrorOf(error: unknown): ProtectionError | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof ProtectionError) return current;
    const wrapper = current as { driverError?: unknown; cause?: unknown };
    current = wrapper.driverError ?? wrapper.cause;
  }
  return undefined;
}
