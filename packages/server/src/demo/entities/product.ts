import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Tracked } from '../../typeorm/tracked-decorator.js';

/** A catalogue product: long description (word diffs), JSON attributes (structured diffs), price and stock. */
@Tracked({ ignoreChanges: ['updatedAt'] })
@Entity({ name: 'product' })
export class Product {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 32, unique: true })
  sku!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  category!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'numeric', precision: 10, scale: 2 })
  price!: string;

  @Column({ type: 'integer' })
  stock!: number;

  @Column({ type: 'jsonb', default: {} })
  attributes!: Record<string, unknown>;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
