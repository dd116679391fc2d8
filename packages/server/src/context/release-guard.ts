import type pg from 'pg';

type Release = (error?: Error | boolean) => void;

/**
 * The statements pg has queued or sent and not yet answered (pg's own fields: it has no public accessor). Its
 * JavaScript client and pg-native's (which the driver wraps too) keep them under different names; both emit 'drain'.
 */
interface ClientQueues {
  _getActiveQuery?: () => unknown;
  _hasActiveQuery?: () => unknown;
  _queryQueue?: unknown[];
  _sentQueryQueue?: unknown[];
  _pipelineInFlight?: boolean;
  getTransactionStatus?: () => string | null;
}

function hasPendingStatements(client: ClientQueues): boolean {
  return Boolean(client._getActiveQuery?.()) || Boolean(client._hasActiveQuery?.()) || Boolean(client._pipelineInFlight)
    || (client._queryQueue?.length ?? 0) > 0 || (client._sentQueryQueue?.length ?? 0) > 0;
}

/**
 * A connection released with its transaction still open (TypeORM does this when a QueryRunner is released
 * without commit) is rolled back before it returns to the pool, so the next request never joins someone else's
 * transaction. A connection released while statements are still on their way (a BEGIN not yet answered: a
 * request timeout or an aborted request releasing its QueryRunner) is handed back only once they are answered,
 * and rolled back then if they left a transaction open: otherwise pg's transaction status, which reflects only the
 * last answer, would let it through, the BEGIN would open a transaction for the next borrower, and that borrower's
 * writes would be rolled back with it.
 */
export function guardRelease(client: pg.PoolClient, release: Release): Release {
  let released = false;
  const queues = client as unknown as ClientQueues;
  const handBack = () => {
    const status = queues.getTransactionStatus?.();
    if (status !== 'T' && status !== 'E') return release();
    let rollback: Promise<unknown>;
    try {
      rollback = client.query('ROLLBACK');
    } catch (rollbackError) {
      rollback = Promise.reject(rollbackError);
    }
    rollback.then(
      () => release(),
      (rollbackError: Error) => release(rollbackError), // destroy the connection rather than reuse it
    );
  };
  let deferred = false;
  return (error?: Error | boolean) => {
    // pg-pool raises its double-release error itself; while this guard holds the release back it has not released
    // yet, and would hand the busy connection on: the second call is refused here, with pg-pool's words
    if (released && deferred) throw new Error('Release called on client which has already been released to the pool.');
    if (released) return release(error);
    released = true;
    if (error) return release(error);
    if (!hasPendingStatements(queues)) return handBack();
    deferred = true;
    // pg emits 'drain' once every queued statement is answered; a connection that ends first is destroyed
    const onEnd = () => {
      client.removeListener('drain', onDrain);
      release(new Error('Rowtrail: the connection ended while statements sent before its release were still running'));
    };
    const onDrain = () => {
      client.removeListener('end', onEnd);
      handBack();
    };
    client.once('drain', onDrain);
    client.once('end', onEnd);
  };
}
