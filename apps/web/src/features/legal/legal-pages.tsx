import { TERMS_VERSION } from '@lm/domain';
import { Anchor, Container, List, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { PageTitle } from '../../components/page-title';
import { paths } from '../../app/paths';

function LegalPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Container size="sm" py="xl">
      <PageTitle>{title}</PageTitle>
      <Stack gap="md">
        <Title order={1}>{title}</Title>
        <Text size="sm" c="gray.7">
          Version {TERMS_VERSION}. Accepting it at sign-up records this version and the time on your account.
        </Text>
        {children}
      </Stack>
    </Container>
  );
}

/** Short, plain terms of service: what LexMarket is and is not, payments and cancellations. */
export function TermsPage() {
  return (
    <LegalPage title="Terms of service">
      <Text>
        LexMarket is a marketplace: it lets clients find lawyers and pay for consultations with them. We are not a law firm and
        do not give legal advice; the advice in a consultation comes from the lawyer, who is responsible for it.
      </Text>
      <List spacing="xs">
        <List.Item>Lawyers are listed only after an administrator has checked their bar membership and licence document.</List.Item>
        <List.Item>
          A consultation is paid for when it is booked. The cancellation and rescheduling rules are shown before you pay; refunds
          follow those rules, and a lawyer who cancels or moves a session you do not accept refunds it in full.
        </List.Item>
        <List.Item>Keep your password to yourself. You are responsible for what is done with your account.</List.Item>
        <List.Item>Do not use LexMarket for anything unlawful, to harass anyone, or to get around its payments.</List.Item>
        <List.Item>We may suspend an account that breaks these terms; you can ask us why.</List.Item>
      </List>
      <Text>
        When these terms change in substance, the version above changes and you will be asked to accept the new one. See also
        the{' '}
        <Anchor component={Link} to={paths.privacy}>
          privacy policy
        </Anchor>
        .
      </Text>
    </LegalPage>
  );
}

/** Short, plain privacy policy: what is stored, why, and who sees it. */
export function PrivacyPage() {
  return (
    <LegalPage title="Privacy policy">
      <Text>We keep only what running the marketplace needs:</Text>
      <List spacing="xs">
        <List.Item>your account: name, email address, time zone, language, and a hash of your password (never the password);</List.Item>
        <List.Item>for lawyers: the profile you publish and the licence document you upload, which only administrators can open;</List.Item>
        <List.Item>your sessions and payments (card details stay with our payment provider, Stripe; we never see them);</List.Item>
        <List.Item>an audit trail of sensitive actions (sign-ins, payments, verification decisions), kept to resolve disputes.</List.Item>
      </List>
      <Text>
        We use this data to run your account, your bookings and payments, and to send you the emails they need. We do not sell it
        or use it for advertising. A lawyer you book sees your name and what you send them; nobody else does.
      </Text>
      <Text>
        You can ask for a copy of your data or for your account to be closed; records the law requires us to keep (payments, the
        audit trail) are kept for as long as it requires. See also the{' '}
        <Anchor component={Link} to={paths.terms}>
          terms of service
        </Anchor>
        .
      </Text>
    </LegalPage>
  );
}
