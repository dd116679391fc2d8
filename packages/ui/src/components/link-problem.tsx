import type { ReactNode } from 'react';
import { href } from '../lib/router';
import { usePageTitle } from './use-page-title';

/** A page for a link that cannot be shown (unknown path, malformed address), with the way back. */
export function LinkProblem({ title, children }: { title: string; children?: ReactNode }) {
  usePageTitle(title);
  return (
    <section className="card" role="alert" aria-labelledby="link-problem-title">
      <h1 id="link-problem-title">{title}</h1>
      {children && <p>{children}</p>}
      <p><a href={href('/')}>Back to the activity overview</a></p>
    </section>
  );
}
