import { Alert, Badge, Button, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { describeError } from '../../../lib/errors';
import { fieldErrorsOf, useFocusFirstError } from '../../../lib/field-errors';
import { timeZoneOptions } from '../../../lib/time';
import type { CurrentUser } from '../../auth/use-current-user';
import { useUpdateProfile } from '../profile.queries';

const LOCALES = [
  { value: 'en', label: 'English' },
  { value: 'en-GB', label: 'English (United Kingdom)' },
  { value: 'es', label: 'Español' },
  { value: 'fr', label: 'Français' },
  { value: 'de', label: 'Deutsch' },
  { value: 'it', label: 'Italiano' },
  { value: 'pt-BR', label: 'Português (Brasil)' },
  { value: 'pt-PT', label: 'Português (Portugal)' },
  { value: 'nl', label: 'Nederlands' },
  { value: 'pl', label: 'Polski' },
];

/** The API's limit on a display name. */
const MAX_NAME = 100;

/** Display name, time zone and locale of the signed-in account (`PATCH /api/auth/me`). */
export function AccountProfileForm({ user }: { user: CurrentUser }) {
  const [displayName, setDisplayName] = useState(user.displayName);
  const [timeZone, setTimeZone] = useState(user.timeZone);
  const [locale, setLocale] = useState(user.locale);
  const update = useUpdateProfile();
  const zoneOptions = useMemo(() => timeZoneOptions(user.timeZone), [user.timeZone]);
  const localeOptions = useMemo(
    () => (LOCALES.some((l) => l.value === user.locale) ? LOCALES : [...LOCALES, { value: user.locale, label: user.locale }]),
    [user.locale],
  );
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const serverFields = fieldErrorsOf(update.error, { displayName: { blank: 'Enter your name', noun: 'your name' } });
  const fields = { ...serverFields, ...localErrors };
  useFocusFirstError(formRef, fields, `${attempt}:${update.submittedAt}`);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setAttempt((n) => n + 1);
    const name = displayName.trim();
    const errors: Record<string, string> = {};
    if (!name) errors.displayName = 'Enter your name';
    else if (name.length > MAX_NAME) errors.displayName = `Use at most ${MAX_NAME} characters (now ${name.length})`;
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) return;
    update.mutate(
      { displayName: displayName.trim(), timeZone, locale },
      { onSuccess: () => notifications.show({ color: 'green', title: 'Profile saved', message: 'Your changes are saved.' }) },
    );
  };

  return (
    <Paper withBorder p="xl" radius="md" component="section" aria-labelledby="account-heading">
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Group justify="space-between">
            <Title order={2} fz="lg" id="account-heading">
              Account
            </Title>
            {user.emailVerifiedAt ? (
              <Badge color="green" variant="light">
                Email verified
              </Badge>
            ) : (
              <Badge color="yellow" variant="light">
                Email not verified
              </Badge>
            )}
          </Group>
          <Text size="sm" c="gray.7">
            Signed in as {user.email}
          </Text>
          {update.isError && Object.keys(serverFields).length === 0 && (
            <Alert color="red" role="alert">
              {describeError(update.error).message}
            </Alert>
          )}
          <TextInput
            label="Display name"
            required
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            error={fields.displayName}
          />
          <Select
            label="Time zone"
            description="Session times are shown in this zone."
            searchable
            data={zoneOptions}
            value={timeZone}
            onChange={(value) => value && setTimeZone(value)}
            allowDeselect={false}
            error={fields.timeZone}
            limit={100}
          />
          <Select
            label="Language"
            data={localeOptions}
            value={locale}
            onChange={(value) => value && setLocale(value)}
            allowDeselect={false}
            error={fields.locale}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={update.isPending}>
              Save profile
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
