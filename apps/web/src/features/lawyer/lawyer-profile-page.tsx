import { Container, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { PageHeader } from '../../components/page-header';
import { ErrorState, LoadingState } from '../../components/query-state';
import { useCurrentUser } from '../auth/use-current-user';
import { AccountProfileForm } from '../profile/components/account-profile-form';
import { LawyerPhotoUpload } from './components/lawyer-photo-upload';
import { LicenceUpload } from './components/licence-upload';
import { LawyerProfileForm } from './components/lawyer-profile-form';
import { ownLawyerProfileQueryOptions } from './lawyer.queries';

export function LawyerProfilePage() {
  const { user } = useCurrentUser();
  const profile = useQuery(ownLawyerProfileQueryOptions());

  return (
    <Container size="md" py="xl">
      <Stack gap="lg">
        <PageHeader title="Your profile" description="What clients see once you are verified." />
        {profile.isPending ? (
          <LoadingState label="Loading your profile" />
        ) : profile.isError ? (
          <ErrorState error={profile.error} onRetry={() => void profile.refetch()} />
        ) : (
          <>
            <LawyerPhotoUpload profile={profile.data} />
            <LawyerProfileForm key={profile.data.userId} profile={profile.data} />
            <LicenceUpload profile={profile.data} />
          </>
        )}
        {user && <AccountProfileForm key={user.id} user={user} />}
      </Stack>
    </Container>
  );
}
