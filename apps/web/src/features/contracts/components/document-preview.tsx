import { Alert, Group, Loader, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { describeContractError } from '../contract-errors';
import { previewQueryOptions } from '../contracts.queries';
import type { PreviewInput } from '../contracts.types';
import { ContractDocument } from './contract-document';

/**
 * A live preview rendered by the API (the same template engine as the saved contract and the
 * PDF), asked again once typing pauses. While the API refuses the input (a syntax error, an
 * undeclared variable…) the last good preview stays, under the reason.
 */
export function DocumentPreview({ input, label = 'Preview' }: { input: PreviewInput; label?: string }) {
  const [debounced] = useDebouncedValue(input, 400);
  const preview = useQuery(previewQueryOptions(debounced));
  const updating = preview.isFetching || debounced !== input;
  return (
    <Stack gap="xs" aria-busy={updating}>
      <Group gap="xs" justify="space-between">
        <Text size="sm" fw={600}>
          {label}
        </Text>
        {updating && <Loader size="xs" role="progressbar" aria-label="Updating the preview" />}
      </Group>
      {preview.isError && (
        <Alert color="orange" role="alert" title="The preview cannot be shown">
          {describeContractError(preview.error)}
        </Alert>
      )}
      {preview.data ? (
        <ContractDocument blocks={preview.data.blocks} label={label} headingLevel={3} />
      ) : preview.isPending ? (
        <Text size="sm" c="gray.7">
          Rendering the preview…
        </Text>
      ) : null}
    </Stack>
  );
}
