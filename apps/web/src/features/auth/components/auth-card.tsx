import { Container, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { PageTitle } from '../../../components/page-title';

interface AuthCardProps {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}

/** The centred card every sign-in/sign-up/reset screen sits in. */
export function AuthCard({ title, description, children, footer }: AuthCardProps) {
  return (
    <Container size={460} py={64}>
      <PageTitle>{title}</PageTitle>
      <Stack gap="lg">
        <Stack gap={6}>
          <Title order={1} fz={28}>
            {title}
          </Title>
          {description && (
            <Text c="gray.7" size="sm">
              {description}
            </Text>
          )}
        </Stack>
        <Paper withBorder shadow="xs" p="xl" radius="md">
          {children}
        </Paper>
        {footer && (
          <Text size="sm" ta="center" c="gray.7">
            {footer}
          </Text>
        )}
      </Stack>
    </Container>
  );
}
