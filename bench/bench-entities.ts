import { EntitySchema } from 'typeorm';

/** A row of the request-style benchmark tables (the ~8-column bench table). */
export interface BenchRow {
  id: string;
  accountId: number;
  name: string;
  email: string;
  status: string;
  amount: string;
  quantity: number;
  updatedAt: Date;
}

/** An EntitySchema (no decorators) for a bench table: tracked and untracked tables share the shape. */
export function benchEntity(table: string): EntitySchema<BenchRow> {
  return new EntitySchema<BenchRow>({
    name: table,
    tableName: table,
    columns: {
      id: { type: 'bigint', primary: true },
      accountId: { type: 'integer', name: 'account_id' },
      name: { type: 'text' },
      email: { type: 'text' },
      status: { type: 'text' },
      amount: { type: 'numeric', precision: 12, scale: 2 },
      quantity: { type: 'integer' },
      updatedAt: { type: 'timestamptz', name: 'updated_at' },
    },
  });
}
