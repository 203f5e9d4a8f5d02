import { PRACTICE_AREA_OPTIONS } from '@lm/domain';
import { Alert, Button, Group, MultiSelect, Paper, Stack, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { describeError } from '../../../lib/errors';
import { fieldErrorsOf } from '../../../lib/field-errors';
import { useUpdateOwnLawyerProfile, type LawyerProfile, type UpdateLawyerProfileInput } from '../lawyer.queries';
import { LawyerStatusBadge } from './lawyer-status-badge';


/** The professional profile (PUT /api/lawyer/profile) and where its verification stands. */
export function LawyerProfileForm({ profile }: { profile: LawyerProfile }) {
  const [barNumber, setBarNumber] = useState(profile.barNumber ?? '');
  const [barJurisdiction, setBarJurisdiction] = useState(profile.barJurisdiction ?? '');
  const [jurisdictions, setJurisdictions] = useState<string[]>(profile.jurisdictions);
  const [practiceAreas, setPracticeAreas] = useState<string[]>(profile.practiceAreas);
  const [languages, setLanguages] = useState<string[]>(profile.languages);
  const [bio, setBio] = useState(profile.bio);
  const update = useUpdateOwnLawyerProfile();
  const fields = fieldErrorsOf(update.error);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const body: UpdateLawyerProfileInput = {
      barNumber: barNumber.trim(),
      barJurisdiction: barJurisdiction.trim(),
      jurisdictions,
      practiceAreas: practiceAreas as UpdateLawyerProfileInput['practiceAreas'],
      languages: languages.map((l) => l.trim().toLowerCase()),
      bio,
    };
    update.mutate(body, {
      onSuccess: () =>
        notifications.show({ color: 'green', title: 'Profile saved', message: 'Your professional profile is saved.' }),
    });
  };

  return (
    <Paper withBorder p="xl" radius="md" component="section" aria-labelledby="lawyer-profile-heading">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Group justify="space-between">
            <Title order={2} fz="lg" id="lawyer-profile-heading">
              Professional profile
            </Title>
            <LawyerStatusBadge status={profile.status} />
          </Group>
          {profile.status === 'PENDING_VERIFICATION' && (
            <Text size="sm" c="gray.7">
              Our team checks your bar membership before your profile becomes visible to clients.
            </Text>
          )}
          {profile.status === 'VERIFIED' && (
            <Text size="sm" c="gray.7">
              Your profile is visible to clients. Changing your bar number or bar sends it back for verification.
            </Text>
          )}
          {profile.status === 'REJECTED' && (
            <Alert color="red" title="Verification was declined">
              {profile.rejectionReason ?? 'No reason given.'} Update your profile and save it to ask for verification again.
            </Alert>
          )}
          {update.isError && Object.keys(fields).length === 0 && (
            <Alert color="red" role="alert">
              {describeError(update.error).message}
            </Alert>
          )}
          <Group grow align="flex-start">
            <TextInput
              label="Bar number"
              required
              value={barNumber}
              onChange={(e) => setBarNumber(e.currentTarget.value)}
              error={fields.barNumber}
            />
            <TextInput
              label="Bar association"
              description="The bar or authority that issued the number."
              required
              value={barJurisdiction}
              onChange={(e) => setBarJurisdiction(e.currentTarget.value)}
              error={fields.barJurisdiction}
            />
          </Group>
          <TagsInput
            label="Jurisdictions"
            description="Where you may practise; press Enter after each."
            value={jurisdictions}
            onChange={setJurisdictions}
            error={fields.jurisdictions}
          />
          <MultiSelect
            label="Practice areas"
            data={PRACTICE_AREA_OPTIONS}
            value={practiceAreas}
            onChange={setPracticeAreas}
            searchable
            error={fields.practiceAreas}
          />
          <TagsInput
            label="Languages"
            description="Two-letter codes, e.g. en, es; press Enter after each."
            value={languages}
            onChange={setLanguages}
            error={fields.languages}
          />
          <Textarea
            label="Bio"
            autosize
            minRows={4}
            maxRows={12}
            value={bio}
            onChange={(e) => setBio(e.currentTarget.value)}
            error={fields.bio}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={update.isPending}>
              Save professional profile
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
