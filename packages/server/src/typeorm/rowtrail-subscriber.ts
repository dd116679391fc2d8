import { EventSubscriber, type DataSource, type EntitySubscriberInterface, type TransactionStartEvent } from 'typeorm';
import type { BeforeQueryEvent } from 'typeorm/subscriber/event/QueryEvent.js';

/** Refuses a DataSource whose driver is not Rowtrail's: its writes would reach the triggers without request context. */
function requireRowtrailDriver(connection: DataSource): void {
  const driver = (connection.options as { driver?: Record<symbol, unknown> }).driver;
  if (!driver?.[Symbol.for('rowtrail.driver')]) {
    throw new Error('Rowtrail: this DataSource registers RowtrailSubscriber but not Rowtrail\'s driver; create its options with withRowtrail(options) or set driver: rowtrailDriver()');
  }
}

/**
 * Registered by withRowtrail(). Guards against a DataSource that lists the
 * subscriber but was not given Rowtrail's driver: its writes would reach the
 * triggers without request context, so every statement and transaction it
 * starts fails loudly instead of losing attribution silently (autocommit
 * insert(), update() and query() as well as save() in a transaction).
 */
@EventSubscriber()
export class RowtrailSubscriber implements EntitySubscriberInterface {
  beforeQuery(event: BeforeQueryEvent): void {
    requireRowtrailDriver(event.queryRunner.connection);
  }

  beforeTransactionStart(event: TransactionStartEvent): void {
    requireRowtrailDriver(event.queryRunner.connection);
  }
}
