// Entities of the protection tests: the django-pgtrigger tutorial's models, in TypeORM.
// Every column has an explicit type because tsx emits no decorator metadata.
import 'reflect-metadata';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { FSM, Protect, ReadOnly, SoftDelete, Trigger, Versioned } from './protection-decorators.js';
import { Tracked } from './tracked-decorator.js';

@Protect({ name: 'protect_deletes', operations: ['delete'] })
@Entity({ name: 'cannot_delete' })
export class CannotDelete {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
}

@Protect({ name: 'append_only', operations: ['update', 'delete'] })
@Entity({ name: 'append_only' })
export class AppendOnly {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'integer', name: 'int_field' }) intField!: number;
}

@ReadOnly({ name: 'read_only', fields: ['createdAt'] })
@Entity({ name: 'read_only_field' })
export class ReadOnlyField {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' }) createdAt!: Date;
  @Column({ type: 'integer', name: 'int_field' }) intField!: number;
}

@Protect({
  name: 'multiple_read_only', operations: ['update'],
  condition: 'OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.int_field IS DISTINCT FROM NEW.int_field',
})
@Entity({ name: 'read_only_fields' })
export class ReadOnlyFields {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' }) createdAt!: Date;
  @Column({ type: 'integer', name: 'int_field' }) intField!: number;
  @Column({ type: 'text', nullable: true }) note!: string | null;
}

@Tracked()
@SoftDelete({ name: 'soft_delete', field: 'isActive', value: false })
@Entity({ name: 'soft_delete' })
export class SoftDeleteModel {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'boolean', name: 'is_active', default: true }) isActive!: boolean;
}

@Versioned({ name: 'versioned', field: 'version' })
@Entity({ name: 'versioned' })
export class VersionedModel {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'integer', default: 0 }) version!: number;
  @Column({ type: 'varchar', length: 32, name: 'char_field' }) charField!: string;
}

@Protect({ name: 'protect_inserts', operations: ['insert'] })
@Entity({ name: 'official_interface' })
export class OfficialInterface {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text', nullable: true }) note!: string | null;
}

@FSM({
  name: 'validate_status_transitions', field: 'status',
  transitions: [['unpublished', 'published'], ['unpublished', 'inactive'], ['published', 'inactive']],
})
@Entity({ name: 'fsm' })
export class FsmModel {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'varchar', length: 16, default: 'unpublished' }) status!: string;
}

@Trigger({
  name: 'normalise_code', when: 'before', operations: ['insert', 'update'],
  condition: 'NEW.code IS NOT NULL', func: 'NEW.code := upper(NEW.code); RETURN NEW;',
})
@Entity({ name: 'coupon' })
export class Coupon {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text', nullable: true }) code!: string | null;
}

export const PROTECTION_ENTITIES = [CannotDelete, AppendOnly, ReadOnlyField, ReadOnlyFields, SoftDeleteModel, VersionedModel, OfficialInterface, FsmModel, Coupon];
