import { Button, FileButton, Group } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ProfileFileUpload } from './use-profile-file-upload';

/** The button that chooses (and so uploads) the file of a `useProfileFileUpload`. */
export function ProfileFileButton({ file, children }: { file: ProfileFileUpload; children: ReactNode }) {
  return (
    <Group>
      <FileButton onChange={file.onFile} accept={file.accept} resetRef={file.resetFile}>
        {(props) => (
          <Button {...props} variant="default" loading={file.pending}>
            {children}
          </Button>
        )}
      </FileButton>
    </Group>
  );
}
