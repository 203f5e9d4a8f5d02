import type { Device } from '@lm/e2ee';
import { Anchor, Badge, Button, Container, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { paths } from '../../app/paths';
import { PageHeader } from '../../components/page-header';
import { EmptyState, LoadingState } from '../../components/query-state';
import { formatDateTime } from '../../lib/time';
import { useCurrentUser } from '../auth/use-current-user';
import { useTimeZone } from '../auth/use-time-zone';
import { E2eeErrorState } from './components/e2ee-error-state';
import { E2eeGate } from './components/e2ee-gate';
import { E2eeProvider, useE2ee } from './e2ee-context';
import { e2eeErrorMessage } from './e2ee-errors';
import { devicesQueryOptions, useRevokeDevice } from './messages.queries';
import { messagesKeys } from './messages.keys';

/**
 * `/messages/security`: the devices that can read this account's messages. This browser, the
 * others (each can be removed: it then cannot open anything sent afterwards), and those removed.
 */
export function MessagesSecurityPage() {
  const { user } = useCurrentUser();
  return (
    <Container size="md" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="Devices and recovery"
          description="The browsers and devices that hold keys to your encrypted messages."
          actions={
            <Button component={Link} to={paths.messages.home} variant="default">
              Back to messages
            </Button>
          }
        />
        {user && (
          <E2eeProvider key={user.id} userId={user.id}>
            <E2eeGate>
              <DevicesSection />
              <RecoveryInfo />
            </E2eeGate>
          </E2eeProvider>
        )}
      </Stack>
    </Container>
  );
}

function DevicesSection() {
  const { userId, client, thisDeviceId } = useE2ee();
  const { zone, locale } = useTimeZone();
  const devices = useQuery(devicesQueryOptions(userId, client));
  const current = useQuery({ queryKey: [...messagesKeys.devices(userId), 'this'], queryFn: thisDeviceId });
  const [revoking, setRevoking] = useState<Device | null>(null);

  if (devices.isPending || current.isPending) return <LoadingState label="Loading your devices" />;
  if (devices.isError) return <E2eeErrorState error={devices.error} onRetry={() => void devices.refetch()} />;
  const active = devices.data.filter((d) => d.revokedAt === null);
  const here = active.find((d) => d.deviceId === current.data);
  const others = active.filter((d) => d !== here);
  const removed = devices.data.filter((d) => d.revokedAt !== null);

  return (
    <>
      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="this-device-heading">
        <Stack gap="sm">
          <Title order={2} fz="lg" id="this-device-heading">
            This device
          </Title>
          {here ? (
            <DeviceRow device={here} zone={zone} locale={locale} badge="This device" />
          ) : (
            <Text size="sm" c="gray.7">
              This browser is not among your active devices.
            </Text>
          )}
        </Stack>
      </Paper>
      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="other-devices-heading">
        <Stack gap="sm">
          <Title order={2} fz="lg" id="other-devices-heading">
            Other devices
          </Title>
          {others.length === 0 ? (
            <EmptyState title="No other devices">
              To read your messages in another browser, open Messages there and enter your recovery code.
            </EmptyState>
          ) : (
            <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Other devices">
              {others.map((device) => (
                <li key={device.deviceId}>
                  <DeviceRow
                    device={device}
                    zone={zone}
                    locale={locale}
                    action={
                      <Button size="xs" color="red" variant="light" onClick={() => setRevoking(device)}>
                        Remove {device.label}
                      </Button>
                    }
                  />
                </li>
              ))}
            </Stack>
          )}
          {removed.length > 0 && (
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                Removed
              </Text>
              {removed.map((device) => (
                <Text key={device.deviceId} size="sm" c="gray.7">
                  {device.label}, removed {formatDateTime(device.revokedAt!, zone, locale)}
                </Text>
              ))}
            </Stack>
          )}
        </Stack>
      </Paper>
      <RevokeDeviceModal device={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}

function DeviceRow({
  device,
  zone,
  locale,
  badge,
  action,
}: {
  device: Device;
  zone: string;
  locale: string;
  badge?: string;
  action?: ReactNode;
}) {
  return (
    <Group justify="space-between" gap="xs" wrap="wrap">
      <Stack gap={0}>
        <Group gap="xs">
          <Text fw={600}>{device.label}</Text>
          {badge && (
            <Badge size="sm" variant="light" color="green">
              {badge}
            </Badge>
          )}
        </Group>
        <Text size="sm" c="gray.7">
          Added {formatDateTime(device.createdAt, zone, locale)}
        </Text>
      </Stack>
      {action}
    </Group>
  );
}

function RevokeDeviceModal({ device, onClose }: { device: Device | null; onClose: () => void }) {
  const revoke = useRevokeDevice();
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <Modal opened={device !== null} onClose={close} title="Remove this device?" centered>
      {device && (
        <Stack gap="md">
          <Text size="sm">
            {device.label} will not be able to read anything sent from now on. What it has already downloaded stays on it. To use
            secure messaging there again, it needs your recovery code.
          </Text>
          {revoke.isError && (
            <Text size="sm" c="red.8" role="alert">
              {e2eeErrorMessage(revoke.error)}
            </Text>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close} data-autofocus>
              Cancel
            </Button>
            <Button color="red" loading={revoke.isPending} onClick={() => revoke.mutate(device.deviceId, { onSuccess: close })}>
              Remove device
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function RecoveryInfo() {
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="recovery-heading">
      <Stack gap="xs">
        <Title order={2} fz="lg" id="recovery-heading">
          Recovery code
        </Title>
        <Text size="sm">
          Your recovery code was shown once, when you set up secure messaging. LexMarket never had it and cannot show it again.
          With it, any new browser can read your messages; keep it somewhere safe.
        </Text>
        <Text size="sm">
          Lost it? As long as this device works, your messages stay readable here. On a new device without the code you can only
          start over with new keys, and earlier messages stay unreadable there.{' '}
          <Anchor component={Link} to={paths.messages.home}>
            Go to messages
          </Anchor>
        </Text>
      </Stack>
    </Paper>
  );
}
