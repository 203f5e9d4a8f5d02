import { Alert, Anchor, Button, Checkbox, Container, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { paths } from '../../app/paths';
import { PageHeader } from '../../components/page-header';
import { useCurrentUser } from '../auth/use-current-user';
import { ContractDocument } from './components/contract-document';
import { ContractStatusBadge } from './components/contract-status-badge';
import { HashValue } from './components/hash-value';
import { SignaturePadField } from './components/signature-pad-field';
import { describeContractError, isContractError } from './contract-errors';
import { contractQueryOptions, useRecordViewed, useSignContract } from './contracts.queries';
import type { ContractDetail, SignatureDrawing } from './contracts.types';
import { contractQueryFallback } from './components/contract-query-state';
import { DeclineContractModal } from './components/decline-contract-modal';

export const TYPED_NAME_MAX = 200;

/**
 * The signing screen (`/contracts/:id/sign`): the document as it will be signed, then explicit
 * consent to sign electronically, the signer's typed full name, an optional drawn signature,
 * Sign — or Decline with a reason. Showing the document records a VIEWED event for its version
 * (the API refuses a signature without one); the signature names the version's SHA-256, so a
 * document changed meanwhile is refused (CONTRACT_VERSION_STALE) and shown again.
 */
export function SignContractPage() {
  const { id = '' } = useParams();
  const contract = useQuery(contractQueryOptions(id));
  // Set when the API said the document changed under the signer; the form starts again for the new version.
  const [staleFrom, setStaleFrom] = useState<string | null>(null);
  const refetch = contract.refetch;
  const onStale = useCallback(
    (sha256: string) => {
      setStaleFrom(sha256);
      void refetch();
    },
    [refetch],
  );

  const fallback = contractQueryFallback(contract, 'Loading the document');
  if (fallback || !contract.data) return fallback;
  const c = contract.data;
  return (
    <Container size="md" py="xl">
      <Stack gap="lg">
        <Anchor component={Link} to={paths.contract(c.id)} size="sm">
          Back to the contract
        </Anchor>
        <PageHeader
          title={`Sign: ${c.title}`}
          description={`${c.number} · version ${c.currentVersion.number}`}
          actions={<ContractStatusBadge status={c.status} size="lg" />}
        />
        {staleFrom && staleFrom !== c.currentVersion.sha256 && (
          <Alert color="orange" role="alert" title="The document has changed">
            A new version was saved after you opened this page. It is shown below: read it before signing.
          </Alert>
        )}
        {c.allowedActions.sign ? (
          // A new version is a new reading: the form (consent included) starts again.
          <SigningForm key={c.currentVersion.sha256} contract={c} onStale={onStale} />
        ) : (
          <NotSignable contract={c} />
        )}
      </Stack>
    </Container>
  );
}

function NotSignable({ contract: c }: { contract: ContractDetail }) {
  const { user } = useCurrentUser();
  const mine = c.parties.find((p) => p.userId === user?.id);
  const text = mine?.signedAt
    ? 'You have signed this contract.'
    : c.status === 'DRAFT'
      ? 'This document has not been sent for signature yet.'
      : c.status === 'EXECUTED'
        ? 'This contract has been executed by every party.'
        : 'This contract can no longer be signed.';
  return (
    <Alert color="gray" title="Nothing to sign" role="status">
      <Stack gap="sm">
        <Text size="sm">{text}</Text>
        <Group>
          <Button component={Link} to={paths.contract(c.id)} size="xs" variant="white">
            Open the contract
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

function SigningForm({ contract: c, onStale }: { contract: ContractDetail; onStale: (sha256: string) => void }) {
  const navigate = useNavigate();
  const { user } = useCurrentUser();
  const me = c.parties.find((p) => p.userId === user?.id);
  const viewed = useRecordViewed();
  const sign = useSignContract();
  const [declining, { open: openDecline, close: closeDecline }] = useDisclosure(false);
  const [consent, setConsent] = useState(false);
  const [typedName, setTypedName] = useState('');
  const [drawing, setDrawing] = useState<SignatureDrawing | null>(null);
  const [tried, setTried] = useState(false);
  const recorded = useRef<string | null>(null);
  const sha256 = c.currentVersion.sha256;
  const recordViewed = viewed.mutate;

  // The document is on screen: record that this party has seen this version (once per version).
  useEffect(() => {
    if (recorded.current === sha256) return;
    recorded.current = sha256;
    recordViewed(
      { id: c.id, versionSha256: sha256 },
      { onError: (error) => isContractError(error, 'CONTRACT_VERSION_STALE') && onStale(sha256) },
    );
  }, [c.id, sha256, recordViewed, onStale]);

  const name = typedName.trim();
  const consentError = tried && !consent ? 'Tick the box to sign electronically' : undefined;
  const nameError =
    tried && !name
      ? 'Type your full name'
      : typedName.length > TYPED_NAME_MAX
        ? `Use at most ${TYPED_NAME_MAX} characters`
        : undefined;

  const submit = () => {
    setTried(true);
    if (!consent || !name || typedName.length > TYPED_NAME_MAX) return;
    sign.mutate(
      { id: c.id, input: { versionSha256: sha256, consent: true, typedName: name, ...(drawing ? { drawing } : {}) } },
      {
        onSuccess: (after) => {
          notifications.show({
            color: 'green',
            title: after.status === 'EXECUTED' ? 'Signed — the contract is executed' : 'Signed',
            message: after.status === 'EXECUTED' ? 'Your executed copy is ready to download.' : 'The other party has been told.',
          });
          navigate(paths.contract(c.id));
        },
        onError: (error) => {
          if (isContractError(error, 'CONTRACT_VERSION_STALE')) onStale(sha256);
        },
      },
    );
  };

  return (
    <>
      <Stack gap="xs" component="section" aria-labelledby="sign-document-heading">
        <Title order={2} fz="lg" id="sign-document-heading">
          The document
        </Title>
        <ContractDocument blocks={c.currentVersion.blocks} headingLevel={3} />
        <Text size="sm" c="gray.7" component="div">
          You sign the PDF of version {c.currentVersion.number}, whose SHA-256 is
          <HashValue sha256={sha256} label="the document’s SHA-256" testId="sign-version-sha256" />
        </Text>
      </Stack>

      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="signature-heading">
        <Stack gap="md">
          <Title order={2} fz="lg" id="signature-heading">
            Your signature
          </Title>
          <Checkbox
            checked={consent}
            onChange={(e) => setConsent(e.currentTarget.checked)}
            error={consentError}
            label="I agree to sign this document electronically, and that my electronic signature is as binding as my handwritten one."
          />
          <TextInput
            label="Your full name"
            description={me ? `As it should appear on the contract, e.g. “${me.name}”.` : 'As it should appear on the contract.'}
            value={typedName}
            onChange={(e) => setTypedName(e.currentTarget.value)}
            error={nameError}
            autoComplete="name"
            required
          />
          <SignaturePadField onChange={setDrawing} disabled={sign.isPending} />
          <Text size="xs" c="gray.7">
            When you sign, LexMarket records the time (UTC), your IP address, your browser and the document’s SHA-256, and prints
            them on the executed contract’s certificate page.
          </Text>
          {sign.error && !isContractError(sign.error, 'CONTRACT_VERSION_STALE') ? (
            <Alert color="red" role="alert">
              {describeContractError(sign.error)}
            </Alert>
          ) : null}
          {viewed.isError && !isContractError(viewed.error, 'CONTRACT_VERSION_STALE') ? (
            <Alert color="red" role="alert">
              {describeContractError(viewed.error)}
            </Alert>
          ) : null}
          <Group justify="space-between" gap="sm">
            {c.allowedActions.decline ? (
              <Button variant="subtle" color="red" onClick={openDecline}>
                Decline to sign
              </Button>
            ) : (
              <span />
            )}
            <Button onClick={submit} loading={sign.isPending} disabled={!viewed.isSuccess}>
              Sign
            </Button>
          </Group>
        </Stack>
      </Paper>

      <DeclineContractModal
        contractId={c.id}
        opened={declining}
        onClose={closeDecline}
        onDeclined={() => navigate(paths.contract(c.id))}
      />
    </>
  );
}
