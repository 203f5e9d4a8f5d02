import { Alert, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { formatDateTime } from '../../../lib/time';
import { useTimeZone } from '../../auth/use-time-zone';
import { LICENCE_TYPES, MAX_LICENCE_BYTES, useUploadOwnLicence, type LawyerProfile } from '../lawyer.queries';
import { ProfileFileButton } from './profile-file-button';
import { useProfileFileUpload, type ProfileFileRules } from './use-profile-file-upload';

const LICENCE_RULES: ProfileFileRules = {
  types: LICENCE_TYPES,
  maxBytes: MAX_LICENCE_BYTES,
  subject: 'The document',
  chooseMessage: 'Choose a PDF, PNG or JPEG file.',
  unsupportedCode: 'LICENCE_TYPE_UNSUPPORTED',
  unsupportedMessage: 'That file is not a PDF, PNG or JPEG.',
  tooLargeMessage: 'The document is larger than 5 MB. Choose a smaller scan.',
};

/** The lawyer's bar licence: only administrators can open it, to verify the profile. */
export function LicenceUpload({ profile }: { profile: LawyerProfile }) {
  const { zone, locale } = useTimeZone();
  const upload = useUploadOwnLicence();
  const file = useProfileFileUpload(upload, LICENCE_RULES, () =>
    notifications.show({ color: 'green', title: 'Licence uploaded', message: 'An administrator will review it.' }),
  );

  return (
    <Paper withBorder p="xl" radius="md" component="section" aria-labelledby="lawyer-licence-heading">
      <Stack gap="md">
        <Title order={2} fz="lg" id="lawyer-licence-heading">
          Licence document
        </Title>
        <Text size="sm" c="gray.7">
          {profile.licenceUploadedAt
            ? `Uploaded ${formatDateTime(profile.licenceUploadedAt, zone, locale)} (${zone}). Only administrators can open it.`
            : 'Upload your bar licence or membership certificate so an administrator can verify you. Only administrators can open it.'}
        </Text>
        <Text size="xs" c="gray.7">
          PDF, PNG or JPEG, at most 5 MB. Replacing it after verification sends your profile back for review.
        </Text>
        <ProfileFileButton file={file}>
          {profile.licenceUploadedAt ? 'Replace licence document' : 'Upload licence document'}
        </ProfileFileButton>
        {file.error && (
          <Alert color="red" role="alert">
            {file.error}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
