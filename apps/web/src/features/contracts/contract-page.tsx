import { Alert, Anchor, Badge, Button, Container, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { paths } from '../../app/paths';
import { ConfirmActions } from '../../components/confirm-actions';
import { Field } from '../../components/field';
import { PageHeader } from '../../components/page-header';
import { formatDateTimeZoned } from '../../lib/time';
import { useCurrentUser } from '../auth/use-current-user';
import { useTimeZone } from '../auth/use-time-zone';
import { ContractDocument } from './components/contract-document';
import { ContractStatusBadge } from './components/contract-status-badge';
import { ContractVersions } from './components/contract-versions';
import { ExecutedCopy } from './components/executed-copy';
import { HashValue } from './components/hash-value';
import { ReasonModal } from './components/reason-modal';
import { SignerEvents } from './components/signer-events';
import { describeContractError } from './contract-errors';
import { formatUtc, ROLE_LABEL } from './contract-labels';
import { contractQueryOptions, useCloseContract, useSendContract } from './contracts.queries';
import type { ContractDetail } from './contracts.types';
import { contractQueryFallback } from './components/contract-query-state';
import { DeclineContractModal } from './components/decline-contract-modal';

/**
 * One contract for its lawyer or client (`/contracts/:id`): what happens next and the actions the
 * API allows now, the executed copy once there is one, the parties, the current document, every
 * version with its hash, and the signer events.
 */
export function ContractPage() {
  const { id = '' } = useParams();
  const { zone, locale } = useTimeZone();
  const contract = useQuery(contractQueryOptions(id));

  const fallback = contractQueryFallback(contract, 'Loading the contract');
  if (fallback || !contract.data) return fallback;
  const c = contract.data;

  return (
    <Container size="md" py="xl">
      <Stack gap="lg">
        <Anchor component={Link} to={paths.contracts} size="sm">
          Back to contracts
        </Anchor>
        <PageHeader
          title={c.title}
          description={`${c.number} · version ${c.currentVersion.number}`}
          actions={<ContractStatusBadge status={c.status} size="lg" />}
        />
        <NextStep contract={c} zone={zone} locale={locale} />
        <ExecutedCopy contract={c} zone={zone} locale={locale} />
        <Parties contract={c} zone={zone} locale={locale} />
        <Stack gap="xs" component="section" aria-labelledby="document-heading">
          <Title order={2} fz="lg" id="document-heading">
            Document (version {c.currentVersion.number})
          </Title>
          <ContractDocument blocks={c.currentVersion.blocks} headingLevel={3} />
          <Field label="SHA-256 of this version’s PDF (what each party signs)">
            <HashValue sha256={c.currentVersion.sha256} label="this version’s SHA-256" testId="version-sha256" />
          </Field>
          {c.currentVersion.previousSha256 && (
            <Field label="Previous version’s SHA-256">
              <HashValue sha256={c.currentVersion.previousSha256} label="the previous version’s SHA-256" />
            </Field>
          )}
        </Stack>
        <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="versions-heading">
          <Stack gap="sm">
            <Title order={2} fz="lg" id="versions-heading">
              Versions
            </Title>
            <Text size="sm" c="gray.7">
              Every save of the draft is a new version that never changes; each names the hash of the one before.
            </Text>
            <ContractVersions contract={c} zone={zone} locale={locale} />
          </Stack>
        </Paper>
        <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="events-heading">
          <Stack gap="sm">
            <Title order={2} fz="lg" id="events-heading">
              Signing history
            </Title>
            <Text size="sm" c="gray.7">
              Times in UTC, as recorded, and in {zone}.
            </Text>
            <SignerEvents events={c.events} zone={zone} locale={locale} />
          </Stack>
        </Paper>
        <Group>
          <Button component={Link} to={paths.session(c.sessionId)} variant="default">
            Open the session
          </Button>
        </Group>
      </Stack>
    </Container>
  );
}

/** Who signs, and whether they have. */
function Parties({ contract: c, zone, locale }: { contract: ContractDetail; zone: string; locale: string }) {
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="parties-heading">
      <Stack gap="sm">
        <Title order={2} fz="lg" id="parties-heading">
          Parties
        </Title>
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Parties">
          {c.parties.map((p) => (
            <Group key={p.role} component="li" justify="space-between" gap="xs" wrap="wrap">
              <Stack gap={0}>
                <Text fw={600}>{p.name}</Text>
                <Text size="sm" c="gray.7">
                  {ROLE_LABEL[p.role]}
                </Text>
              </Stack>
              {p.signedAt ? (
                <Stack gap={0} align="flex-end">
                  <Badge color="green" variant="light" tt="none">
                    Signed
                  </Badge>
                  <Text size="xs" c="gray.7">
                    {formatUtc(p.signedAt)} · {formatDateTimeZoned(p.signedAt, zone, locale)}
                  </Text>
                </Stack>
              ) : p.declinedAt ? (
                <Badge color="orange" variant="light" tt="none">
                  Declined
                </Badge>
              ) : (
                <Badge color="gray" variant="light" tt="none">
                  Not signed
                </Badge>
              )}
            </Group>
          ))}
        </Stack>
      </Stack>
    </Paper>
  );
}

/** What the contract waits for, and the buttons for what I may do about it now. */
function NextStep({ contract: c, zone, locale }: { contract: ContractDetail; zone: string; locale: string }) {
  const { user } = useCurrentUser();
  const [sending, { open: openSend, close: closeSend }] = useDisclosure(false);
  const [voiding, { open: openVoid, close: closeVoid }] = useDisclosure(false);
  const [declining, { open: openDecline, close: closeDecline }] = useDisclosure(false);
  const send = useSendContract();
  const voidContract = useCloseContract('void');
  const actions = c.allowedActions;
  const waitingFor = c.parties.filter((p) => !p.signedAt && p.userId !== user?.id).map((p) => p.name);

  let message: { color: string; title: string; text: string } | null = null;
  switch (c.status) {
    case 'DRAFT':
      message = {
        color: 'gray',
        title: 'Draft',
        text: actions.send
          ? 'Only you can see this draft. Edit it as often as you need (each save is a new version), then send it for signature.'
          : 'The lawyer is still preparing this document.',
      };
      break;
    case 'SENT':
    case 'PARTIALLY_SIGNED':
      message = actions.sign
        ? {
            color: 'blue',
            title: 'Your signature is requested',
            text: `Read the document, then sign it or decline it.${waitingFor.length ? ` Waiting also for ${waitingFor.join(' and ')} to sign.` : ''}`,
          }
        : {
            color: 'blue',
            title: 'Out for signature',
            text: waitingFor.length ? `Waiting for ${waitingFor.join(' and ')} to sign.` : 'Waiting for the signatures.',
          };
      break;
    case 'EXECUTED':
      message = { color: 'green', title: 'Executed', text: 'Every party has signed. Download your copy below.' };
      break;
    case 'DECLINED':
      message = {
        color: 'orange',
        title: 'Declined',
        text: c.closeReason ? `Reason: “${c.closeReason}”` : 'A party declined to sign.',
      };
      break;
    case 'VOIDED':
      message = {
        color: 'red',
        title: 'Voided by the lawyer',
        text: c.closeReason ? `Reason: “${c.closeReason}”` : 'This contract was voided.',
      };
      break;
    case 'EXPIRED':
      message = { color: 'gray', title: 'Expired', text: 'Not every party signed before the deadline.' };
      break;
  }
  const hasButtons = actions.edit || actions.send || actions.sign || actions.decline || actions.void;

  return (
    <>
      <Alert color={message.color} title={message.title} role="status">
        <Stack gap="sm">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {message.text}
          </Text>
          {c.expiresAt && (c.status === 'SENT' || c.status === 'PARTIALLY_SIGNED') && (
            <Text size="sm">Signatures are accepted until {formatDateTimeZoned(c.expiresAt, zone, locale)}.</Text>
          )}
          {hasButtons && (
            <Group gap="xs">
              {actions.sign && (
                <Button component={Link} to={paths.contractSign(c.id)} size="sm">
                  Review and sign
                </Button>
              )}
              {actions.edit && (
                <Button component={Link} to={paths.contractEdit(c.id)} size="sm" variant="default">
                  Edit draft
                </Button>
              )}
              {actions.send && (
                <Button size="sm" onClick={openSend}>
                  Send for signature
                </Button>
              )}
              {actions.decline && (
                <Button size="sm" variant="light" color="red" onClick={openDecline}>
                  Decline
                </Button>
              )}
              {actions.void && (
                <Button size="sm" variant="light" color="red" onClick={openVoid}>
                  Void contract
                </Button>
              )}
            </Group>
          )}
        </Stack>
      </Alert>

      <Modal opened={sending} onClose={closeSend} title="Send for signature?" centered>
        <Stack gap="md">
          <Text size="sm">
            The client receives an email asking them to sign version {c.currentVersion.number}. From now on the document cannot be
            edited: to change it, void it and create a new one.
          </Text>
          {send.error ? (
            <Alert color="red" role="alert">
              {describeContractError(send.error)}
            </Alert>
          ) : null}
          <ConfirmActions
            pending={send.isPending}
            onCancel={closeSend}
            onConfirm={() =>
              send.mutate(c.id, {
                onSuccess: () => {
                  closeSend();
                  notifications.show({
                    color: 'green',
                    title: 'Sent for signature',
                    message: 'The client has been asked to sign.',
                  });
                },
              })
            }
          >
            Send
          </ConfirmActions>
        </Stack>
      </Modal>
      <ReasonModal
        opened={voiding}
        title="Void this contract?"
        explanation="Nobody can sign it any more. The client sees your reason. The versions and the signing history are kept."
        confirmLabel="Void contract"
        pending={voidContract.isPending}
        error={voidContract.error}
        onClose={closeVoid}
        onConfirm={(reason) =>
          voidContract.mutate(
            { id: c.id, reason },
            {
              onSuccess: () => {
                closeVoid();
                notifications.show({ color: 'green', title: 'Contract voided', message: 'Nobody can sign it any more.' });
              },
            },
          )
        }
      />
      <DeclineContractModal contractId={c.id} opened={declining} onClose={closeDecline} />
    </>
  );
}
