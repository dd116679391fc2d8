import { EventSubscriber, type EntitySubscriberInterface, type TransactionStartEvent } from 'typeorm';

/**
 * Registered by withRowtrail(). Guards against a DataSource that lists the
 * subscriber but was not given Rowtrail's driver: its writes would reach the
 * triggers without request context, so the first transaction fails loudly
 * instead of losing attribution silently.
 */
@EventSubscriber()
export class RowtrailSubscriber implements EntitySubscriberInterface {
  beforeTransactionStart(event: TransactionStartEvent): void {
    const driver = (event.queryRunner.connection.options as { driver?: Record<symbol, unknown> }).driver;
    if (!driver?.[Symbol.for('rowtrail.driver')]) {
      throw new Error('Rowtrail: this DataSource registers RowtrailSubscriber but not Rowtrail\'s driver; create its options with withRowtrail(options) or set driver: rowtrailDriver()');
    }
  }
}
