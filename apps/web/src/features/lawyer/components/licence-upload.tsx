import { ApiError } from '@lm/api-client';
import { Alert, Button, FileButton, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useRef, useState } from 'react';
import { describeError } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/time';
import { useTimeZone } from '../../auth/use-time-zone';
import { LICENCE_TYPES, MAX_LICENCE_BYTES, useUploadOwnLicence, type LawyerProfile } from '../lawyer.queries';

function uploadErrorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'LICENCE_TYPE_UNSUPPORTED' || error.status === 415) return 'That file is not a PDF, PNG or JPEG.';
    if (error.status === 413) return 'The document is larger than 5 MB. Choose a smaller scan.';
  }
  return describeError(error).message;
}

/** The lawyer's bar licence: only administrators can open it, to verify the profile. */
export function LicenceUpload({ profile }: { profile: LawyerProfile }) {
  const { zone, locale } = useTimeZone();
  const upload = useUploadOwnLicence();
  const [localError, setLocalError] = useState<string | null>(null);
  const resetFile = useRef<() => void>(null);

  const onFile = (file: File | null) => {
    upload.reset();
    setLocalError(null);
    resetFile.current?.();
    if (!file) return;
    if (!(LICENCE_TYPES as readonly string[]).includes(file.type)) {
      setLocalError('Choose a PDF, PNG or JPEG file.');
      return;
    }
    if (file.size > MAX_LICENCE_BYTES) {
      setLocalError(`The document is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is 5 MB.`);
      return;
    }
    upload.mutate(file, {
      onSuccess: () => notifications.show({ color: 'green', title: 'Licence uploaded', message: 'An administrator will review it.' }),
    });
  };
  const error = localError ?? (upload.isError ? uploadErrorMessage(upload.error) : null);

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
        <Group>
          <FileButton onChange={onFile} accept={LICENCE_TYPES.join(',')} resetRef={resetFile}>
            {(props) => (
              <Button {...props} variant="default" loading={upload.isPending}>
                {profile.licenceUploadedAt ? 'Replace licence document' : 'Upload licence document'}
              </Button>
            )}
          </FileButton>
        </Group>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
