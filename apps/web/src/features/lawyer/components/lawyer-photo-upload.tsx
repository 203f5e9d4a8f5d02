import { Alert, Avatar, Button, FileButton, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ApiError } from '@lm/api-client';
import { useEffect, useRef, useState } from 'react';
import { describeError } from '../../../lib/errors';
import { MAX_PHOTO_BYTES, PHOTO_TYPES, useUploadOwnLawyerPhoto, type LawyerProfile } from '../lawyer.queries';

function uploadErrorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'PHOTO_TYPE_UNSUPPORTED' || error.status === 415) return 'That file is not a JPEG, PNG or WebP image.';
    if (error.status === 413) return 'The photo is larger than 2 MB. Choose a smaller one.';
  }
  return describeError(error).message;
}

/**
 * The lawyer's photo. `GET /api/lawyers/{id}/photo` only serves verified lawyers, so before
 * verification the preview is the file just uploaded, kept in the browser.
 */
export function LawyerPhotoUpload({ profile }: { profile: LawyerProfile }) {
  const upload = useUploadOwnLawyerPhoto();
  const [localError, setLocalError] = useState<string | null>(null);
  const [localPreview, setLocalPreview] = useState<string | null>(null);
  // Clears the input so choosing the same file again still fires onChange.
  const resetFile = useRef<() => void>(null);

  useEffect(
    () => () => {
      if (localPreview) URL.revokeObjectURL(localPreview);
    },
    [localPreview],
  );

  const served =
    profile.status === 'VERIFIED' && profile.photoSha256
      ? `/api/lawyers/${profile.userId}/photo?v=${profile.photoSha256}`
      : null;
  const preview = localPreview ?? served;

  const onFile = (file: File | null) => {
    upload.reset();
    setLocalError(null);
    resetFile.current?.();
    if (!file) return;
    if (!(PHOTO_TYPES as readonly string[]).includes(file.type)) {
      setLocalError('Choose a JPEG, PNG or WebP image.');
      return;
    }
    if (file.size > MAX_PHOTO_BYTES) {
      setLocalError(`The photo is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is 2 MB.`);
      return;
    }
    upload.mutate(file, {
      onSuccess: () => {
        setLocalPreview(URL.createObjectURL(file));
        notifications.show({ color: 'green', title: 'Photo updated', message: 'Your photo is saved.' });
      },
    });
  };

  const error = localError ?? (upload.isError ? uploadErrorMessage(upload.error) : null);

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
            <Group>
              <FileButton onChange={onFile} accept={PHOTO_TYPES.join(',')} resetRef={resetFile}>
                {(props) => (
                  <Button {...props} variant="default" loading={upload.isPending}>
                    {profile.photoSha256 ? 'Replace photo' : 'Upload photo'}
                  </Button>
                )}
              </FileButton>
            </Group>
          </Stack>
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
