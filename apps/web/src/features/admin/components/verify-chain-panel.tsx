import { Alert, Button, Code, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { ShieldIcon } from '../../../components/icons';
import { describeError } from '../../../lib/errors';
import { useVerifyAuditChain, type AuditVerification } from '../admin.queries';

const REASONS: Record<NonNullable<AuditVerification['reason']>, string> = {
  SEQ_GAP: 'an entry is missing (sequence gap)',
  PREV_HASH_MISMATCH: 'it does not link to the previous entry',
  HASH_MISMATCH: 'its content does not match its hash',
  CHECKPOINT_SEQ_MISSING: 'the checkpointed entry is missing',
  CHECKPOINT_HASH_MISMATCH: 'the checkpointed hash differs',
  UNKNOWN_KEY: 'the checkpoint key is unknown',
  BAD_SIGNATURE: 'the checkpoint signature is invalid',
};

/** "Verify chain": the server re-hashes every entry and reports the first break, if any. */
export function VerifyChainPanel() {
  const verify = useVerifyAuditChain();
  const result = verify.data;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="verify-chain-heading">
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Stack gap={2}>
            <Title order={2} fz="md" id="verify-chain-heading">
              Chain integrity
            </Title>
            <Text size="sm" c="gray.7">
              Each entry carries the hash of the one before it, so any change or deletion breaks the chain.
            </Text>
          </Stack>
          <Button leftSection={<ShieldIcon />} onClick={() => verify.mutate()} loading={verify.isPending}>
            Verify chain
          </Button>
        </Group>
        <div aria-live="polite">
          {verify.isError && (
            <Alert color="red" role="alert" title="Verification could not run">
              {describeError(verify.error).message}
            </Alert>
          )}
          {result?.ok && (
            <Alert color="green" title={`Chain valid — ${result.checked} entries`}>
              <Text size="sm">
                Head #{result.headSeq}, hash <Code>{result.headHash.slice(0, 16)}…</Code>
              </Text>
            </Alert>
          )}
          {result && !result.ok && (
            <Alert color="red" title={`Chain broken at entry #${result.firstBrokenSeq ?? '?'}`}>
              <Text size="sm">
                Entry #{result.firstBrokenSeq ?? '?'} fails verification:{' '}
                {result.reason ? REASONS[result.reason] : 'unknown reason'}. {result.checked} entries before it verified.
              </Text>
            </Alert>
          )}
        </div>
      </Stack>
    </Paper>
  );
}
