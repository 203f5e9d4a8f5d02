import { Badge, Button, Code, Container, CopyButton, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { DataTable } from '../../components/data-table';
import { CheckIcon } from '../../components/icons';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { usePagedListParams } from '../../hooks/use-paged-list-params';
import { referralLinkQueryOptions, referralsQueryOptions } from './partner.queries';

const PAGE_SIZE = 20;
/** No filters: only `?page=…`. */
const PARAMS = {};

function ReferralLinkCard() {
  const link = useQuery(referralLinkQueryOptions());
  return (
    <Paper withBorder p="xl" radius="md" component="section" aria-labelledby="referral-link-heading">
      <Stack gap="sm">
        <Title order={2} fz="lg" id="referral-link-heading">
          Your referral link
        </Title>
        <Text size="sm" c="gray.7">
          Everyone who signs up through this link is attributed to you, permanently.
        </Text>
        {link.isPending ? (
          <LoadingState label="Loading your referral link" />
        ) : link.isError ? (
          <ErrorState error={link.error} onRetry={() => void link.refetch()} />
        ) : (
          <>
            <Group gap="sm" align="flex-end" wrap="nowrap">
              <TextInput
                label="Referral link"
                value={link.data.url}
                readOnly
                style={{ flex: 1 }}
                onFocus={(e) => e.currentTarget.select()}
              />
              <CopyButton value={link.data.url} timeout={2500}>
                {({ copied, copy }) => (
                  <Button
                    onClick={copy}
                    variant={copied ? 'light' : 'filled'}
                    leftSection={copied ? <CheckIcon /> : undefined}
                    miw={130}
                  >
                    {copied ? 'Copied' : 'Copy link'}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Text size="sm" c="gray.7">
              Code: <Code>{link.data.code}</Code>
            </Text>
          </>
        )}
      </Stack>
    </Paper>
  );
}

function ReferredUsers() {
  const { page, setPage } = usePagedListParams(PARAMS);
  const referrals = useQuery(referralsQueryOptions(page, PAGE_SIZE));

  return (
    <Stack gap="sm" component="section" aria-labelledby="referred-users-heading">
      <Title order={2} fz="lg" id="referred-users-heading">
        Referred users
      </Title>
      {referrals.isPending ? (
        <LoadingState label="Loading referred users" />
      ) : referrals.isError ? (
        <ErrorState error={referrals.error} onRetry={() => void referrals.refetch()} />
      ) : referrals.data.items.length === 0 ? (
        <Paper withBorder radius="md">
          <EmptyState title="No referrals yet">Share your link: sign-ups through it appear here.</EmptyState>
        </Paper>
      ) : (
        <>
          <DataTable label="Referred users" columns={['Email', 'Account type', 'Signed up']}>
            {referrals.data.items.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td ff="monospace">{r.maskedEmail}</Table.Td>
                <Table.Td>
                  <Badge variant="light">{r.role.toLowerCase()}</Badge>
                </Table.Td>
                <Table.Td>{new Date(r.createdAt).toLocaleString()}</Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
          <ListFooter
            total={referrals.data.total}
            pageSize={PAGE_SIZE}
            page={page}
            onPageChange={setPage}
            noun="referral"
            pagesLabel="Referral pages"
          />
        </>
      )}
    </Stack>
  );
}

export function ReferralsPage() {
  return (
    <Container size="md" py="xl">
      <Stack gap="lg">
        <PageHeader title="Referrals" description="Share LexMarket and follow who signed up through you." />
        <ReferralLinkCard />
        <ReferredUsers />
      </Stack>
    </Container>
  );
}
