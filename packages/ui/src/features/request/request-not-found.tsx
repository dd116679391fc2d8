import { LinkProblem } from '../../components/link-problem';
import { ApiError } from '../../lib/api-client';
import { href } from '../../lib/router';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether the API said there is no such request: 404 for an unknown context id, 400 naming `id` for a link whose id
 * is not a context id at all (the API's messages start with the parameter at fault).
 */
export function isRequestNotFound(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || (error.status === 400 && error.message.startsWith('id:')));
}

/** "Request not found" in place of an error: an unknown id is a wrong or outdated link, not a failure of the dashboard. */
export function RequestNotFound({ contextId }: { contextId: string }) {
  if (!UUID.test(contextId)) {
    return (
      <LinkProblem title="Request not found">
        <code>{contextId}</code> is not a context id (request pages are addressed by the UUID of their context). To find the
        changes of a request by its request id, <a href={href('/', { requestId: contextId })}>filter the activity by this request id</a>.
      </LinkProblem>
    );
  }
  return (
    <LinkProblem title="Request not found">
      No request, job or transaction has the context id <code>{contextId}</code>. The link may be cut or edited, or its
      history may have been pruned.
    </LinkProblem>
  );
}
