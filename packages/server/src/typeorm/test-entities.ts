// Entities used by the TypeORM adapter's tests. Every column has an explicit
// type because tsx emits no decorator metadata.
import 'reflect-metadata';
import { Column, DeleteDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Tracked } from './tracked-decorator.js';

@Tracked({ exclude: ['secretNote'], ignoreChanges: ['updatedAt'] })
@Entity({ name: 'product' })
export class Product {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'numeric', precision: 10, scale: 2 }) price!: string;
  @Column({ type: 'integer', default: 0 }) stock!: number;
  @Column({ type: 'jsonb', nullable: true }) attributes!: Record<string, unknown> | null;
  @Column({ type: 'text', nullable: true, name: 'secret_note' }) secretNote!: string | null;
  @Column({ type: 'timestamptz', nullable: true, name: 'updated_at' }) updatedAt!: Date | null;
  @DeleteDateColumn({ type: 'timestamptz', name: 'deleted_at' }) deletedAt!: Date | null;
}

@Tracked()
@Entity({ name: 'line_item' })
export class LineItem {
  @PrimaryColumn({ type: 'integer', name: 'order_id' }) orderId!: number;
  @PrimaryColumn({ type: 'integer', name: 'line_no' }) lineNo!: number;
  @Column({ type: 'integer' }) quantity!: number;
}

@Entity({ name: 'untracked_note' })
export class UntrackedNote {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) body!: string;
}
