// A second DataSource module for the CLI tests of two applications on one database (beside protection-cli-fixture.ts):
// its URL comes from ROWTRAIL_FIXTURE_URL.
import 'reflect-metadata';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { Protect } from './protection-decorators.js';
import { Tracked } from './tracked-decorator.js';
import { withRowtrail } from './with-rowtrail.js';

@Tracked()
@Protect({ name: 'keep_invoices', operations: ['delete'] })
@Entity({ name: 'invoice' })
export class Invoice {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'integer' }) total!: number;
}

export const secondAppDataSource = new DataSource(withRowtrail({ type: 'postgres', url: process.env.ROWTRAIL_FIXTURE_URL, entities: [Invoice], poolSize: 2 }));
