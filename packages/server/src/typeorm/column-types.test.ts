// Column types whose database type differs from what the history spec says (TypeORM enums are
// specified as text) or that live outside pg_catalog: updates compare them and record their changes.
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Column, Entity, PrimaryColumn, type DataSource } from 'typeorm';
import { Tracked } from './tracked-decorator.js';
import { openTrackedDatabase, type TrackedTestDatabase } from './tracked-test-database.js';
import { historySince, lastEventId } from './test-history.js';

enum TicketState { Open = 'open', Closed = 'closed' }

@Tracked()
@Entity({ name: 'ticket' })
class Ticket {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'enum', enum: TicketState, enumName: 'ticket_state' }) state!: TicketState;
  @Column({ type: 'enum', enum: TicketState, enumName: 'ticket_state', array: true, default: '{}' }) history!: TicketState[];
  @Column({ type: 'varchar', length: 40 }) title!: string;
}

let opened: TrackedTestDatabase;
let dataSource: DataSource;
beforeAll(async () => {
  opened = await openTrackedDatabase('column_types', [Ticket]);
  dataSource = opened.dataSource;
});
afterAll(() => opened?.close());

describe('column types in the update capture', () => {
  it('records changes of enum and enum array columns, and of other columns next to them', async () => {
    const tickets = dataSource.getRepository(Ticket);
    await tickets.insert({ id: 1, state: TicketState.Open, history: [], title: 'Printer' });
    const mark = await lastEventId(opened.db.pool);
    await tickets.update({ id: 1 }, { title: 'Printer on floor 2' });
    await tickets.update({ id: 1 }, { state: TicketState.Closed, history: [TicketState.Open] });
    await tickets.update({ id: 1 }, { state: TicketState.Closed }); // no change: no event
    const rows = await historySince(opened.db.pool, mark);
    expect(rows.map((r) => r.changes)).toEqual([
      { title: ['Printer', 'Printer on floor 2'] },
      { state: ['open', 'closed'], history: [[], ['open']] },
    ]);
  });
});
