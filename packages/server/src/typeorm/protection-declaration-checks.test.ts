// Protection declarations that installed and then refused every write, or never matched: refused by installTracked,
// naming the entity and what is wrong, before anything is installed.
import 'reflect-metadata';
import { ChildEntity, Column, DataSource, Entity, PrimaryColumn, PrimaryGeneratedColumn, TableInheritance, VersionColumn } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { installTracked } from './install-tracked.js';
import { FSM, Protect, ReadOnly, Trigger, Versioned } from './protection-decorators.js';
import { withRowtrail } from './with-rowtrail.js';

@Versioned({ field: 'revision' })
@Entity({ name: 'typeorm_versioned' })
class TypeormVersioned {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @VersionColumn({ type: 'integer' }) revision!: number;
}

@FSM({ field: 'status', transitions: [['draft', 'publshed']] })
@Entity({ name: 'misspelt_state' })
class MisspeltState {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'enum', enum: ['draft', 'published'], enumName: 'misspelt_state_status' }) status!: string;
}

// states of an enum array are array texts: not checked against the labels
@FSM({ field: 'tags', transitions: [['{a}', '{a,b}']] })
@Entity({ name: 'enum_array_state' })
class EnumArrayState {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'enum', enum: ['a', 'b'], array: true, enumName: 'enum_array_state_tags' }) tags!: string[];
}

@FSM({ field: 'status', transitions: [['draft'] as never] })
@Entity({ name: 'half_transition' })
class HalfTransition {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) status!: string;
}

@Trigger({ name: 'audit_stmt', when: 'after', operations: ['insert'], level: 'stmt' as never, func: 'RETURN NULL;' })
@Entity({ name: 'statement_trigger' })
class StatementTrigger {
  @PrimaryColumn({ type: 'integer' }) id!: number;
}

// single-table inheritance: the root's protection is the whole table's; a child's own would act on its siblings' rows
@Protect({ name: 'no_truncate', operations: ['truncate'] })
@Entity({ name: 'sti_doc' })
@TableInheritance({ column: { type: 'varchar', name: 'kind' } })
class StiDoc {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) title!: string;
}
@ChildEntity('memo')
class StiMemo extends StiDoc {}
@Protect({ name: 'invoices_are_permanent', operations: ['delete'] })
@ReadOnly({ fields: ['title'] })
@ChildEntity('invoice')
class StiInvoice extends StiDoc {
  @Column({ type: 'numeric', nullable: true }) amount!: string | null;
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('protection_declaration_checks');
});
afterAll(() => db?.drop());

async function installing(...entities: Function[]): Promise<unknown> {
  const dataSource = new DataSource(withRowtrail({ type: 'postgres', url: db.url, entities, synchronize: true }));
  await dataSource.initialize();
  try {
    return await installTracked(dataSource).then(() => undefined, (e: unknown) => e);
  } finally {
    await dataSource.destroy();
  }
}
const triggersOn = async (table: string) =>
  (await db.pool.query(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal`, [table])).rows[0].n;

describe('protection declarations', () => {
  it('refuse @Versioned on a TypeORM @VersionColumn, which TypeORM increments itself', async () => {
    expect(await installing(TypeormVersioned)).toMatchObject({
      message: expect.stringContaining('protection "versioned" on TypeormVersioned: @Versioned field "revision" is a TypeORM @VersionColumn'),
    });
    expect(await triggersOn('typeorm_versioned')).toBe(0);
  });

  it('refuse an FSM state the enum does not have, and a transition that is not a pair', async () => {
    expect(await installing(MisspeltState)).toMatchObject({
      message: 'Rowtrail: protection "fsm" on MisspeltState: "publshed" is not a value of the enum of "status" (draft, published)',
    });
    expect(await triggersOn('misspelt_state')).toBe(0);
    expect(await installing(EnumArrayState)).toBeUndefined();
    expect(await installing(HalfTransition)).toMatchObject({
      message: expect.stringContaining('each transition must be a pair of state names as strings (or null for no state), [from, to]; got ["draft"]'),
    });
  });

  it("refuse a child entity's own protection in single-table inheritance, which would act on its siblings' rows", async () => {
    expect(await installing(StiDoc, StiMemo, StiInvoice)).toMatchObject({
      message: 'Rowtrail: protection "invoices_are_permanent" on StiInvoice, a child entity of StiDoc (single-table inheritance): a protection acts on '
        + 'every row of table public.sti_doc, also those of StiDoc\'s other entities; declare it on StiDoc (a condition on "kind", where the protection '
        + 'takes one, limits it to StiInvoice\'s rows)',
    });
    expect(await triggersOn('sti_doc')).toBe(0);
    // the root's protections, which its children inherit, are the table's
    expect(await installing(StiDoc, StiMemo)).toBeUndefined();
    expect(await triggersOn('sti_doc')).toBe(1);
  });

  it('refuse a trigger level that is neither row nor statement (it became a row trigger)', async () => {
    expect(await installing(StatementTrigger)).toMatchObject({ message: expect.stringContaining('level must be \'row\' or \'statement\', got "stmt"') });
    expect(await triggersOn('statement_trigger')).toBe(0);
  });
});
