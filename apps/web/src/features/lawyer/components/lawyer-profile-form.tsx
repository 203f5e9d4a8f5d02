import { jurisdictionOptions, languageOptions, PRACTICE_AREA_OPTIONS } from '@lm/domain';
import { Alert, Button, Group, MultiSelect, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { describeError } from '../../../lib/errors';
import { errorSummary, fieldErrorsOf, useFocusFirstError, type FieldWords } from '../../../lib/field-errors';
import { useUpdateOwnLawyerProfile, type LawyerProfile, type UpdateLawyerProfileInput } from '../lawyer.queries';
import { LawyerStatusBadge } from './lawyer-status-badge';

/** The API's limits (UpdateLawyerProfileDto). */
export const PROFILE_LIMITS = { barNumber: 64, barJurisdiction: 100, listed: 20, bio: 4000 } as const;

const WORDS: Record<string, FieldWords> = {
  barNumber: { blank: 'Enter your bar number' },
  barJurisdiction: { blank: 'Enter the bar or authority that issued your number' },
  jurisdictions: { noun: 'jurisdictions' },
  languages: { noun: 'languages' },
};

/** Options from a list, plus any stored value that is not on it (saved before the list existed). */
function withStored(options: { value: string; label: string }[], stored: string[]) {
  const known = new Set(options.map((o) => o.value));
  return [...options, ...stored.filter((v) => !known.has(v)).map((v) => ({ value: v, label: v }))];
}

/** The form's own checks, mirroring the API's rules, in words for people. */
export function validateLawyerProfile(input: { barNumber: string; barJurisdiction: string; jurisdictions: string[]; languages: string[]; bio: string }) {
  const errors: Record<string, string> = {};
  const tooLong = (value: string, max: number) => `Use at most ${max} characters (now ${value.length})`;
  if (!input.barNumber.trim()) errors.barNumber = 'Enter your bar number';
  else if (input.barNumber.trim().length > PROFILE_LIMITS.barNumber) errors.barNumber = tooLong(input.barNumber.trim(), PROFILE_LIMITS.barNumber);
  if (!input.barJurisdiction.trim()) errors.barJurisdiction = 'Enter the bar or authority that issued your number';
  else if (input.barJurisdiction.trim().length > PROFILE_LIMITS.barJurisdiction)
    errors.barJurisdiction = tooLong(input.barJurisdiction.trim(), PROFILE_LIMITS.barJurisdiction);
  if (input.jurisdictions.length > PROFILE_LIMITS.listed) errors.jurisdictions = `Choose at most ${PROFILE_LIMITS.listed}`;
  if (input.languages.length > PROFILE_LIMITS.listed) errors.languages = `Choose at most ${PROFILE_LIMITS.listed}`;
  if (input.bio.length > PROFILE_LIMITS.bio) errors.bio = tooLong(input.bio, PROFILE_LIMITS.bio);
  return errors;
}

/** The professional profile (PUT /api/lawyer/profile) and where its verification stands. */
export function LawyerProfileForm({ profile }: { profile: LawyerProfile }) {
  const [barNumber, setBarNumber] = useState(profile.barNumber ?? '');
  const [barJurisdiction, setBarJurisdiction] = useState(profile.barJurisdiction ?? '');
  const [jurisdictions, setJurisdictions] = useState<string[]>(profile.jurisdictions);
  const [practiceAreas, setPracticeAreas] = useState<string[]>(profile.practiceAreas);
  const [languages, setLanguages] = useState<string[]>(profile.languages);
  const [bio, setBio] = useState(profile.bio);
  const update = useUpdateOwnLawyerProfile();
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const serverFields = fieldErrorsOf(update.error, WORDS);
  const fields = { ...serverFields, ...localErrors };
  useFocusFirstError(formRef, fields, `${attempt}:${update.submittedAt}`);
  const summary = errorSummary(fields);
  // Names in the browser's language; stored and sent as codes.
  const locale = typeof navigator === 'undefined' ? 'en' : navigator.language;
  const jurisdictionData = useMemo(() => withStored(jurisdictionOptions(locale), profile.jurisdictions), [locale, profile.jurisdictions]);
  const languageData = useMemo(() => withStored(languageOptions(locale), profile.languages), [locale, profile.languages]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setAttempt((n) => n + 1);
    const errors = validateLawyerProfile({ barNumber, barJurisdiction, jurisdictions, languages, bio });
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) return;
    const body: UpdateLawyerProfileInput = {
      barNumber: barNumber.trim(),
      barJurisdiction: barJurisdiction.trim(),
      jurisdictions,
      practiceAreas: practiceAreas as UpdateLawyerProfileInput['practiceAreas'],
      languages,
      bio,
    };
    update.mutate(body, {
      onSuccess: () =>
        notifications.show({ color: 'green', title: 'Profile saved', message: 'Your professional profile is saved.' }),
    });
  };

  return (
    <Paper withBorder p="xl" radius="md" component="section" aria-labelledby="lawyer-profile-heading">
      <form ref={formRef} onSubmit={onSubmit} noValidate>
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
          {update.isError && Object.keys(serverFields).length === 0 && (
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
          <MultiSelect
            label="Jurisdictions"
            description="Where you may practise: countries, states or provinces. Type to search."
            data={jurisdictionData}
            value={jurisdictions}
            onChange={setJurisdictions}
            searchable
            hidePickedOptions
            limit={50}
            maxValues={PROFILE_LIMITS.listed}
            nothingFoundMessage="No jurisdiction by that name"
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
          <MultiSelect
            label="Languages"
            description="Languages you consult in. Type to search."
            data={languageData}
            value={languages}
            onChange={setLanguages}
            searchable
            hidePickedOptions
            limit={50}
            maxValues={PROFILE_LIMITS.listed}
            nothingFoundMessage="No language by that name"
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
            <Text size="sm" c="red.8" role="alert" aria-live="assertive" style={{ flex: 1 }}>
              {summary}
            </Text>
            <Button type="submit" loading={update.isPending}>
              Save professional profile
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
