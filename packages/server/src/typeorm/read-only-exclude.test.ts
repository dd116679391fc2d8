// @ReadOnly({ exclude }): every column of the entity but the writable ones is read-only (django-pgtrigger's ReadOnly
// with exclude); `exclude: []` makes the whole row read-only. Stored generated columns follow the others.
import 'reflect-metadata';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { installTracked } from './install-tracked.js';
import { protectedTableSpecs } from './protection-specs.js';
import { ReadOnly } from './protection-decorators.js';
import { withRowtrail } from './with-rowtrail.js';

@ReadOnly({ name: 'settled', exclude: ['note', 'updatedAt'] })
@Entity({ name: 'payment' })
class Payment {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'numeric' }) amount!: string;
  @Column({ type: 'text' }) payee!: string;
  @Column({ type: 'text', nullable: true }) note!: string | null;
  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' }) updatedAt!: Date;
  @Column({ type: 'text', generatedType: 'STORED', asExpression: `payee || ':' || coalesce(note, '')`, nullable: true }) label!: string | null;
}

@ReadOnly({ name: 'sealed', exclude: [] })
@Entity({ name: 'sealed_record' })
class SealedRecord {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text' }) body!: string;
}

let db: TestDatabase;
let dataSource: DataSource;
beforeAll(async () => {
  db = await createTestDatabase('read_only_exclude');
  dataSource = new DataSource(withRowtrail({ type: 'postgres', url: db.url, entities: [Payment, SealedRecord], synchronize: true }));
  await dataSource.initialize();
  await installTracked(dataSource);
  await db.pool.query(`INSERT INTO payment (id, amount, payee, note) VALUES (1, 10, 'acme', 'first'); INSERT INTO sealed_record VALUES (1, 'text')`);
});
afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

describe('@ReadOnly({ exclude })', () => {
  it('keeps every other column read-only, the generated ones aside', async () => {
    expect(protectedTableSpecs(dataSource).find((t) => t.table === 'payment')!.protections)
      .toEqual([{ kind: 'read_only', name: 'settled', fields: ['id', 'amount', 'payee'] }]);
    await db.pool.query(`UPDATE payment SET note = 'paid late', updated_at = now() WHERE id = 1`); // writable, and the generated label follows
    for (const change of [`amount = 11`, `payee = 'other'`, `id = 2`]) {
      await expect(db.pool.query(`UPDATE payment SET ${change} WHERE id = 1`), change).rejects.toMatchObject({ code: 'RT001' });
    }
    expect((await db.pool.query(`SELECT amount, payee, note, label FROM payment`)).rows).toEqual([{ amount: '10', payee: 'acme', note: 'paid late', label: 'acme:paid late' }]);
  });

  it('with nothing excluded, keeps the whole row', async () => {
    await expect(db.pool.query(`UPDATE sealed_record SET body = 'edited'`)).rejects.toMatchObject({ code: 'RT001' });
    await db.pool.query(`UPDATE sealed_record SET body = body`); // no change, nothing refused
  });

  it('refuses fields and exclude together, neither, a name that is no column, and an exclude of every column', async () => {
    const specsOf = async (decorate: ClassDecorator) => {
      @decorate
      @Entity({ name: 'misdeclared' })
      class Misdeclared {
        @PrimaryColumn({ type: 'integer' }) id!: number;
        @Column({ type: 'text' }) body!: string;
      }
      const source = new DataSource({ type: 'postgres', entities: [Misdeclared] });
      await (source as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
      return () => protectedTableSpecs(source);
    };
    expect(await specsOf(ReadOnly({ fields: ['body'], exclude: [] } as never))).toThrow(/@ReadOnly takes fields \(the read-only ones\) or exclude \(the writable ones\), not both/);
    expect(await specsOf(ReadOnly({} as never))).toThrow(/neither was given/);
    expect(await specsOf(ReadOnly({ exclude: ['bdy'] }))).toThrow(/names "bdy", which is not a column of it/);
    expect(await specsOf(ReadOnly({ exclude: ['id', 'body'] }))).toThrow(/exclude leaves no column read-only/);
  });
});
