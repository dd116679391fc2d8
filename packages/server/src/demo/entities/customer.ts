import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Tracked } from '../../typeorm/tracked-decorator.js';

/** A shop customer. The password hash never reaches history; updatedAt alone makes no event. */
@Tracked({ exclude: ['passwordHash'], ignoreChanges: ['updatedAt'] })
@Entity({ name: 'customer' })
export class Customer {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text', name: 'password_hash' })
  passwordHash!: string;

  @Column({ type: 'text', default: 'standard' })
  tier!: string;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
