import { Badge, Group } from '@mantine/core';
import type { AdminReview } from '../reviews.queries';

/** Published / hidden / not yet published, a hidden response, and the open reports. */
export function ReviewStateBadges({
  review: r,
}: {
  review: Pick<AdminReview, 'publishedAt' | 'hidden' | 'responseHidden' | 'openReports'>;
}) {
  return (
    <Group gap={4}>
      {r.hidden ? (
        <Badge color="red" variant="light" tt="none">
          Hidden
        </Badge>
      ) : r.publishedAt ? (
        <Badge color="green" variant="light" tt="none">
          Published
        </Badge>
      ) : (
        <Badge color="gray" variant="light" tt="none">
          Not published
        </Badge>
      )}
      {r.responseHidden && (
        <Badge color="red" variant="outline" tt="none">
          Response hidden
        </Badge>
      )}
      {r.openReports > 0 && (
        <Badge color="orange" variant="light" tt="none">
          {r.openReports} open report{r.openReports === 1 ? '' : 's'}
        </Badge>
      )}
    </Group>
  );
}
