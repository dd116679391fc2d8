// Entities of the entity-shape tests: relations, single-table inheritance, embedded objects and property names
// that differ from column names. Every column has an explicit type because tsx emits no decorator metadata.
import 'reflect-metadata';
import { ChildEntity, Column, Entity, JoinColumn, JoinTable, ManyToMany, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, TableInheritance } from 'typeorm';
import { ReadOnly } from './protection-decorators.js';
import { Tracked } from './tracked-decorator.js';

@Entity({ name: 'shape_customer' })
export class ShapeCustomer {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) name!: string;
}

@Entity({ name: 'shape_warehouse' })
export class ShapeWarehouse {
  @PrimaryColumn({ type: 'integer' }) region!: number;
  @PrimaryColumn({ type: 'integer' }) code!: number;
}

export class ShapeAddress {
  @Column({ type: 'text', nullable: true }) street!: string | null;
  @Column({ type: 'text', nullable: true }) secret!: string | null;
}

// relations by property name: `lastEditor` is its implicit join column "lastEditorId"; `warehouse` has two
@Tracked({ exclude: ['home.secret', 'work.secret'], ignoreChanges: ['lastEditor', 'warehouse'] })
@ReadOnly({ name: 'buyer_fixed', fields: ['buyer'] })
@Entity({ name: 'shape_order' })
export class ShapeOrder {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) note!: string;
  @ManyToOne(() => ShapeCustomer, { nullable: true }) customer!: ShapeCustomer | null;
  @ManyToOne(() => ShapeCustomer, { nullable: true }) lastEditor!: ShapeCustomer | null;
  @ManyToOne(() => ShapeWarehouse, { nullable: true }) warehouse!: ShapeWarehouse | null;
  @Column({ type: 'integer', name: 'buyer_id', nullable: true }) buyerId!: number | null;
  @ManyToOne(() => ShapeCustomer, { nullable: true }) @JoinColumn({ name: 'buyer_id' }) buyer!: ShapeCustomer | null;
  @Column(() => ShapeAddress) home!: ShapeAddress;
  @Column(() => ShapeAddress) work!: ShapeAddress;
}

// the property `password` is stored in pw_hash; the column named "password" holds something else
@Tracked({ exclude: ['password'] })
@ReadOnly({ name: 'password_fixed', fields: ['password'] })
@Entity({ name: 'shape_account' })
export class ShapeAccount {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text', name: 'password', nullable: true }) legacyPasswordHint!: string | null;
  @Column({ type: 'text', name: 'pw_hash' }) password!: string;
}

@Tracked()
@TableInheritance({ column: { type: 'varchar', name: 'kind' } })
@Entity({ name: 'shape_content' })
export class ShapeContent {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) title!: string;
}

@ChildEntity('photo')
export class ShapePhoto extends ShapeContent {
  @Column({ type: 'text', nullable: true }) url!: string | null;
}

@ChildEntity('note')
export class ShapeNote extends ShapeContent {
  @Column({ type: 'text', nullable: true }) body!: string | null;
}

export const SHAPE_ENTITIES = [ShapeCustomer, ShapeWarehouse, ShapeOrder, ShapeAccount, ShapeContent, ShapePhoto, ShapeNote];

// Refused: a bare name that several embedded properties share
@Tracked({ exclude: ['secret'] })
@Entity({ name: 'shape_profile' })
export class ShapeProfile {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column(() => ShapeAddress) home!: ShapeAddress;
  @Column(() => ShapeAddress) work!: ShapeAddress;
}

// Refused: a protection field that several embedded properties share
@ReadOnly({ name: 'street_fixed', fields: ['street'] })
@Entity({ name: 'shape_profile_protected' })
export class ShapeProfileProtected {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column(() => ShapeAddress) home!: ShapeAddress;
  @Column(() => ShapeAddress) work!: ShapeAddress;
}

// Refused: two entities stored in one table with different @Tracked options
@Tracked({ exclude: ['secret'] })
@Entity({ name: 'shape_shared' })
export class ShapeSharedA {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text', nullable: true }) secret!: string | null;
}

@Tracked()
@Entity({ name: 'shape_shared' })
export class ShapeSharedB {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text', nullable: true }) secret!: string | null;
}

// Accepted: two entities stored in one table with the same options; the capture covers both's columns
@Tracked({ ignoreChanges: ['seenAt'] })
@Entity({ name: 'shape_same' })
export class ShapeSameA {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'timestamptz', name: 'seen_at', nullable: true }) seenAt!: Date | null;
}

@Tracked({ ignoreChanges: ['seenAt'] })
@Entity({ name: 'shape_same' })
export class ShapeSameB {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text', nullable: true }) extra!: string | null;
  @Column({ type: 'timestamptz', name: 'seen_at', nullable: true }) seenAt!: Date | null;
}

// Accepted: the same options written differently (another order, a column name for a property)
@Tracked({ exclude: ['secret', 'seenAt'] })
@Entity({ name: 'shape_same_written' })
export class ShapeSameWrittenA {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text', nullable: true }) secret!: string | null;
  @Column({ type: 'timestamptz', name: 'seen_at', nullable: true }) seenAt!: Date | null;
}

@Tracked({ exclude: ['seen_at', 'secret'] })
@Entity({ name: 'shape_same_written' })
export class ShapeSameWrittenB {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text', nullable: true }) secret!: string | null;
  @Column({ type: 'timestamptz', name: 'seen_at', nullable: true }) seenAt!: Date | null;
}

// Many-to-many: the join table of `tags` is tracked, named from the owning side (@JoinTable) and from the inverse side
@Tracked({ manyToMany: ['articles'] })
@Entity({ name: 'shape_tag' })
export class ShapeTag {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) name!: string;
  @ManyToMany(() => ShapeArticle, (article) => article.tags) articles!: ShapeArticle[];
}

@Tracked({ manyToMany: ['tags'] })
@Entity({ name: 'shape_article' })
export class ShapeArticle {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) title!: string;
  @ManyToMany(() => ShapeTag, (tag) => tag.articles) @JoinTable({ name: 'shape_article_tag' }) tags!: ShapeTag[];
  @ManyToMany(() => ShapeTag) @JoinTable({ name: 'shape_article_related_tag' }) related!: ShapeTag[];
}

export const LINK_ENTITIES = [ShapeTag, ShapeArticle];

// Refused: manyToMany naming a relation that is not many-to-many
@Tracked({ manyToMany: ['customer'] })
@Entity({ name: 'shape_invoice' })
export class ShapeInvoice {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @ManyToOne(() => ShapeCustomer, { nullable: true }) customer!: ShapeCustomer | null;
}

// Single-table inheritance: the root names a many-to-many relation that one child entity declares
@Tracked({ manyToMany: ['topics'] })
@Entity({ name: 'shape_media' })
@TableInheritance({ column: { type: 'text', name: 'kind' } })
export class ShapeMedia {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
}

@ChildEntity('clip')
export class ShapeClip extends ShapeMedia {
  @ManyToMany(() => ShapeTag) @JoinTable({ name: 'shape_clip_topic' }) topics!: ShapeTag[];
}

@ChildEntity('still')
export class ShapeStill extends ShapeMedia {
  @Column({ type: 'text', nullable: true }) caption!: string | null;
}
