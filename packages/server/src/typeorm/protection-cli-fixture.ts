// A DataSource module for the lifecycle CLI tests (`--data-source`): its URL comes
// from ROWTRAIL_FIXTURE_URL; ROWTRAIL_FIXTURE_VARIANT=2 changes a protection's definition.
import 'reflect-metadata';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { FSM } from './protection-decorators.js';
import { Tracked } from './tracked-decorator.js';
import { withRowtrail } from './with-rowtrail.js';

const transitions: Array<[string, string]> = process.env.ROWTRAIL_FIXTURE_VARIANT === '2'
  ? [['open', 'closed'], ['closed', 'open']]
  : [['open', 'closed']];

@Tracked()
@FSM({ name: 'ticket_flow', field: 'state', transitions })
@Entity({ name: 'ticket' })
export class Ticket {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'text', default: 'open' }) state!: string;
}

export const fixtureDataSource = new DataSource(withRowtrail({ type: 'postgres', url: process.env.ROWTRAIL_FIXTURE_URL, entities: [Ticket], poolSize: 2 }));
