import { ApiError } from '@lm/api-client';
import { useRef, useState } from 'react';
import { describeError } from '../../../lib/errors';
import type { useUploadOwnLicence } from '../lawyer.queries';

/** What one upload of the own profile accepts, and how its refusals read. */
export interface ProfileFileRules {
  types: readonly string[];
  maxBytes: number;
  /** The file as the size message names it, e.g. 'The document'. */
  subject: string;
  /** Shown when the chosen file's type is not one of `types`. */
  chooseMessage: string;
  /** The error code the server answers with for a type it does not accept. */
  unsupportedCode: string;
  /** Shown when the server refuses the type (the code above, or 415). */
  unsupportedMessage: string;
  /** Shown when the server refuses the size (413). */
  tooLargeMessage: string;
}

/**
 * The shared logic of the licence and photo uploads: checks the chosen file's type and size
 * before sending it, sends it, and turns a refusal (local or from the server) into one message.
 */
export type ProfileFileUpload = ReturnType<typeof useProfileFileUpload>;

export function useProfileFileUpload(
  upload: ReturnType<typeof useUploadOwnLicence>,
  rules: ProfileFileRules,
  onUploaded: (file: File) => void,
) {
  const [localError, setLocalError] = useState<string | null>(null);
  // Clears the input so choosing the same file again still fires onChange.
  const resetFile = useRef<() => void>(null);

  const onFile = (file: File | null) => {
    upload.reset();
    setLocalError(null);
    resetFile.current?.();
    if (!file) return;
    if (!rules.types.includes(file.type)) {
      setLocalError(rules.chooseMessage);
      return;
    }
    if (file.size > rules.maxBytes) {
      setLocalError(
        `${rules.subject} is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is ${rules.maxBytes / 1024 / 1024} MB.`,
      );
      return;
    }
    upload.mutate(file, { onSuccess: () => onUploaded(file) });
  };

  const error = localError ?? (upload.isError ? uploadErrorMessage(upload.error, rules) : null);
  return { onFile, error, resetFile, accept: rules.types.join(','), pending: upload.isPending };
}

function uploadErrorMessage(error: unknown, rules: ProfileFileRules): string {
  if (error instanceof ApiError) {
    if (error.code === rules.unsupportedCode || error.status === 415) return rules.unsupportedMessage;
    if (error.status === 413) return rules.tooLargeMessage;
  }
  return describeError(error).message;
}
