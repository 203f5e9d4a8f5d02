import { Alert, Avatar, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { MAX_PHOTO_BYTES, PHOTO_TYPES, useUploadOwnLawyerPhoto, type LawyerProfile } from '../lawyer.queries';
import { ProfileFileButton } from './profile-file-button';
import { useProfileFileUpload, type ProfileFileRules } from './use-profile-file-upload';

const PHOTO_RULES: ProfileFileRules = {
  types: PHOTO_TYPES,
  maxBytes: MAX_PHOTO_BYTES,
  subject: 'The photo',
  chooseMessage: 'Choose a JPEG, PNG or WebP image.',
  unsupportedCode: 'PHOTO_TYPE_UNSUPPORTED',
  unsupportedMessage: 'That file is not a JPEG, PNG or WebP image.',
  tooLargeMessage: 'The photo is larger than 2 MB. Choose a smaller one.',
};

/**
 * The lawyer's photo. `GET /api/lawyers/{id}/photo` only serves verified lawyers, so before
 * verification the preview is the file just uploaded, kept in the browser.
 */
export function LawyerPhotoUpload({ profile }: { profile: LawyerProfile }) {
  const upload = useUploadOwnLawyerPhoto();
  const [localPreview, setLocalPreview] = useState<string | null>(null);

  useEffect(
    () => () => {
      if (localPreview) URL.revokeObjectURL(localPreview);
    },
    [localPreview],
  );

  const served =
    profile.status === 'VERIFIED' && profile.photoSha256 ? `/api/lawyers/${profile.userId}/photo?v=${profile.photoSha256}` : null;
  const preview = localPreview ?? served;

  const file = useProfileFileUpload(upload, PHOTO_RULES, (chosen) => {
    setLocalPreview(URL.createObjectURL(chosen));
    notifications.show({ color: 'green', title: 'Photo updated', message: 'Your photo is saved.' });
  });

  return (
    <Paper withBorder p="xl" radius="md" component="section" aria-labelledby="lawyer-photo-heading">
      <Stack gap="md">
        <Title order={2} fz="lg" id="lawyer-photo-heading">
          Photo
        </Title>
        <Group gap="lg" wrap="nowrap" align="center">
          {preview ? (
            <Avatar src={preview} size={96} radius="xl" alt="Your photo" />
          ) : (
            <Avatar size={96} radius="xl" color="indigo" aria-hidden />
          )}
          <Stack gap={6}>
            <Text size="sm" c="gray.7">
              {!profile.photoSha256
                ? 'No photo yet. A clear head-and-shoulders photo helps clients choose.'
                : profile.status === 'VERIFIED'
                  ? 'Clients see this photo on your public profile.'
                  : 'Your photo is saved; clients see it once you are verified.'}
            </Text>
            <Text size="xs" c="gray.7">
              JPEG, PNG or WebP, at most 2 MB.
            </Text>
            <ProfileFileButton file={file}>{profile.photoSha256 ? 'Replace photo' : 'Upload photo'}</ProfileFileButton>
          </Stack>
        </Group>
        {file.error && (
          <Alert color="red" role="alert">
            {file.error}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
