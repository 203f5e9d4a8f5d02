import { Badge, Button, Container, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { paths } from '../app/paths';
import { PageTitle } from './page-title';

interface ComingSoonPageProps {
  title: string;
  description?: string;
}

/** Placeholder for a route whose feature has not shipped yet. */
export function ComingSoonPage({ title, description }: ComingSoonPageProps) {
  return (
    <Container size="sm" py={80}>
      <PageTitle>{title}</PageTitle>
      <Stack gap="md" align="flex-start">
        <Badge variant="light" color="gray">
          Coming soon
        </Badge>
        <Title order={1}>{title}</Title>
        <Text size="lg" c="gray.7">
          {description ?? 'We are building this part of LexMarket. Please check back soon.'}
        </Text>
        <Button component={Link} to={paths.home} variant="default" mt="sm">
          Back to the home page
        </Button>
      </Stack>
    </Container>
  );
}
