import { Badge } from '@mantine/core';
import type { WebhookEndpoint } from '../webhooks.queries';

/** Active, failing (still active, deliveries not getting through), or disabled (by its owner, or after 3 days of failures). */
export function EndpointStatusBadge({
  endpoint,
}: {
  endpoint: Pick<WebhookEndpoint, 'status' | 'disabledReason' | 'failingSince'>;
}) {
  if (endpoint.status === 'DISABLED') {
    return (
      <Badge color="gray" variant="light">
        {endpoint.disabledReason === 'failing' ? 'Disabled (failing)' : 'Disabled'}
      </Badge>
    );
  }
  if (endpoint.failingSince) {
    return (
      <Badge color="orange" variant="light">
        Active, failing
      </Badge>
    );
  }
  return (
    <Badge color="green" variant="light">
      Active
    </Badge>
  );
}
