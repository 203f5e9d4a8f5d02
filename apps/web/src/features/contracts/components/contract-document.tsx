import { Box, List, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ContractBlock } from '../contracts.types';

type Group = { kind: 'block'; block: ContractBlock; index: number } | { kind: 'bullets'; items: ContractBlock[]; index: number };

/** Consecutive bullets become one list; every other block stands alone. */
function groupBlocks(blocks: readonly ContractBlock[]): Group[] {
  const groups: Group[] = [];
  blocks.forEach((block, index) => {
    const last = groups.at(-1);
    if (block.type === 'bullet') {
      if (last?.kind === 'bullets') last.items.push(block);
      else groups.push({ kind: 'bullets', items: [block], index });
    } else groups.push({ kind: 'block', block, index });
  });
  return groups;
}

/**
 * A contract's rendered content, block by block. Every text is a React text node (never HTML):
 * a value typed as `<script>` or `{{x}}` shows exactly as typed, as in the PDF.
 */
export function ContractDocument({
  blocks,
  label = 'Contract document',
  headingLevel = 2,
  footer,
}: {
  blocks: readonly ContractBlock[];
  label?: string;
  /** Level of the document's headings, so they sit under the page's own (subheadings are one deeper). */
  headingLevel?: 2 | 3;
  footer?: ReactNode;
}) {
  const sub = (headingLevel + 1) as 3 | 4;
  return (
    <Paper component="article" aria-label={label} withBorder radius="md" p={{ base: 'md', sm: 'xl' }} bg="white">
      <Stack gap="sm" style={{ overflowWrap: 'anywhere' }}>
        {blocks.length === 0 && <Text c="gray.7">The document is empty.</Text>}
        {groupBlocks(blocks).map((group) =>
          group.kind === 'bullets' ? (
            <List key={group.index} spacing={4} withPadding>
              {group.items.map((item, i) => (
                <List.Item key={i}>
                  <Box component="span" style={{ whiteSpace: 'pre-wrap' }}>
                    {item.text}
                  </Box>
                </List.Item>
              ))}
            </List>
          ) : group.block.type === 'heading' ? (
            <Title key={group.index} order={headingLevel} fz="h3" mt={group.index === 0 ? 0 : 'sm'}>
              {group.block.text}
            </Title>
          ) : group.block.type === 'subheading' ? (
            <Title key={group.index} order={sub} fz="h5" mt="xs">
              {group.block.text}
            </Title>
          ) : (
            <Text key={group.index} style={{ whiteSpace: 'pre-wrap' }}>
              {group.block.text}
            </Text>
          ),
        )}
        {footer}
      </Stack>
    </Paper>
  );
}
