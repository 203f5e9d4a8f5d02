import { Anchor, Badge, Button, Container, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { oneOfParam, usePagedListParams } from '../../hooks/use-paged-list-params';
import { useTimeZone } from '../auth/use-time-zone';
import { NotificationPreferencesSection } from './components/notification-preferences';
import { NotificationTime } from './components/notification-time';
import classes from './components/notifications.module.css';
import {
  notificationsQueryOptions,
  unreadCountQueryOptions,
  useMarkAllNotificationsRead,
  useMarkNotificationRead,
  type AppNotification,
} from './notifications.queries';

const PAGE_SIZE = 20;
/** `?show=unread&page=…` */
const PARAMS = { show: oneOfParam(['all', 'unread'] as const, 'all') };

/** Every signed-in role's notification centre: newest first, unread ones marked, each leading to its page. */
export function NotificationsPage() {
  const { zone, locale } = useTimeZone();
  const list = usePagedListParams(PARAMS);
  const unreadOnly = list.filters.show === 'unread';
  const notifications = useQuery(notificationsQueryOptions({ page: list.page, pageSize: PAGE_SIZE, ...(unreadOnly ? { unread: true } : {}) }));
  const unread = useQuery(unreadCountQueryOptions());
  const markAll = useMarkAllNotificationsRead();
  const unreadCount = unread.data?.unread ?? 0;

  return (
    <Container size="md" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="Notifications"
          description={unreadCount ? `${unreadCount} unread.` : 'You are all caught up.'}
          actions={
            <Button variant="light" onClick={() => markAll.mutate()} disabled={unreadCount === 0} loading={markAll.isPending}>
              Mark all read
            </Button>
          }
        />
        <SegmentedControl
          aria-label="Show"
          value={list.filters.show}
          onChange={(value) => list.setFilters({ show: PARAMS.show.parse([value]) })}
          data={[
            { value: 'all', label: 'All' },
            { value: 'unread', label: 'Unread' },
          ]}
          w="fit-content"
        />

        {notifications.isPending ? (
          <LoadingState label="Loading notifications" />
        ) : notifications.isError ? (
          <ErrorState error={notifications.error} onRetry={() => void notifications.refetch()} />
        ) : notifications.data.items.length === 0 ? (
          <EmptyState title={unreadOnly ? 'No unread notifications' : 'No notifications yet'}>
            {unreadOnly ? 'Everything is read.' : 'Payments, bookings and changes to your sessions will show up here.'}
          </EmptyState>
        ) : (
          <Stack component="ul" gap="sm" aria-label="Notifications" p={0} m={0} style={{ listStyle: 'none' }}>
            {notifications.data.items.map((n) => (
              <NotificationCard key={n.id} notification={n} zone={zone} locale={locale} />
            ))}
          </Stack>
        )}

        {notifications.data && (
          <ListFooter
            total={notifications.data.total}
            pageSize={PAGE_SIZE}
            page={list.page}
            onPageChange={list.setPage}
            noun="notification"
            pagesLabel="Notification pages"
          />
        )}

        <NotificationPreferencesSection />
      </Stack>
    </Container>
  );
}

function NotificationCard({ notification: n, zone, locale }: { notification: AppNotification; zone: string; locale: string }) {
  const markRead = useMarkNotificationRead();
  const unread = !n.readAt;
  return (
    <Paper component="li" withBorder p="md" className={classes.card} data-unread={unread || undefined} aria-label={`${unread ? 'Unread: ' : ''}${n.title}`}>
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
          <Text fw={unread ? 700 : 500} className={classes.title}>
            {n.linkPath ? (
              <Anchor component={Link} to={n.linkPath} c="inherit" onClick={() => unread && markRead.mutate(n.id)}>
                {n.title}
              </Anchor>
            ) : (
              n.title
            )}
          </Text>
          {unread && (
            <Badge color="indigo" variant="light" style={{ flexShrink: 0 }}>
              Unread
            </Badge>
          )}
        </Group>
        <Text size="sm" c="gray.8" className={classes.title}>
          {n.body}
        </Text>
        <Group justify="space-between" gap="xs">
          <Text size="xs" c="gray.7">
            <NotificationTime at={n.createdAt} zone={zone} locale={locale} />
          </Text>
          {unread && (
            <Button size="compact-sm" variant="subtle" onClick={() => markRead.mutate(n.id)} loading={markRead.isPending} aria-label={`Mark read: ${n.title}`}>
              Mark read
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}
