import type { Operation } from '../api/types';

export function OperationBadge({ operation }: { operation: Operation }) {
  return <span className={`badge badge-${operation.toLowerCase()}`}>{operation.toLowerCase()}</span>;
}
