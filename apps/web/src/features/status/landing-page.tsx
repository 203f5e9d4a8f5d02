import { Button, Container, Grid, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { paths } from '../../app/paths';
import { CardIcon, ShieldIcon, VideoIcon } from '../../components/icons';
import { PageTitle } from '../../components/page-title';

const STEPS: { title: string; text: string; icon: ReactNode }[] = [
  {
    title: 'Choose a verified lawyer',
    text: 'Every lawyer’s licence and identity are checked by our team before they appear in the directory.',
    icon: <ShieldIcon size={20} />,
  },
  {
    title: 'Pay first, then book',
    text: 'Pay a fixed consultation price securely with Stripe, then pick a time from the lawyer’s live availability.',
    icon: <CardIcon size={20} />,
  },
  {
    title: 'Meet, sign and review',
    text: 'Consult in a private, recorded video room, sign your engagement online and leave an honest review.',
    icon: <VideoIcon size={20} />,
  },
];

export function LandingPage() {
  return (
    <>
      <PageTitle>Legal advice from verified lawyers</PageTitle>
      <Container size="lg" py={{ base: 40, md: 72 }}>
        <Grid gap={{ base: 40, md: 56 }} align="center">
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Stack gap="lg" align="flex-start">
              <Text c="indigo.7" fw={700} fz="sm" tt="uppercase" style={{ letterSpacing: '0.08em' }}>
                Verified lawyers · Fixed prices · Secure video
              </Text>
              <Title order={1} fz={{ base: 34, sm: 46 }} lh={1.1} style={{ letterSpacing: '-0.02em' }}>
                Legal advice from verified lawyers, booked in minutes
              </Title>
              <Text size="lg" c="gray.7" maw={560}>
                LexMarket connects you with independently verified lawyers. Pay a fixed price up front, choose a time that suits
                you and meet in a secure video consultation, with your contract and records kept in one place.
              </Text>
              <Group gap="sm">
                <Button component={Link} to={paths.lawyers} size="md">
                  Find a lawyer
                </Button>
                <Button component={Link} to={paths.signIn} size="md" variant="default">
                  Sign in
                </Button>
              </Group>
            </Stack>
          </Grid.Col>
        </Grid>

        <Stack component="section" aria-labelledby="how-it-works" gap="lg" mt={{ base: 56, md: 88 }}>
          <Title order={2} id="how-it-works" fz="h3">
            How LexMarket works
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg">
            {STEPS.map((step) => (
              <Stack key={step.title} gap="xs">
                <ThemeIcon variant="light" size={40} radius="md">
                  {step.icon}
                </ThemeIcon>
                <Title order={3} fz="h5">
                  {step.title}
                </Title>
                <Text size="sm" c="gray.7">
                  {step.text}
                </Text>
              </Stack>
            ))}
          </SimpleGrid>
        </Stack>
      </Container>
    </>
  );
}
