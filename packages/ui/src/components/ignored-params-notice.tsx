import type { IgnoredParam } from '../lib/route-params';

/** Says which parameters of the link could not be used; the page shows without them. */
export function IgnoredParamsNotice({ ignored }: { ignored: IgnoredParam[] }) {
  if (ignored.length === 0) return null;
  return (
    <div className="status status-warning" role="alert">
      <strong>Part of this link was ignored:</strong>
      <ul className="ignored-params">
        {ignored.map((p, i) => (
          <li key={`${p.name}-${i}`}><code>{p.name}={p.value}</code> ({p.reason})</li>
        ))}
      </ul>
    </div>
  );
}
