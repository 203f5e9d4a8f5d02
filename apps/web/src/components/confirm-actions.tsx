import { Alert, Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';
import { describeError } from '../lib/errors';

/**
 * The end of a confirmation dialog: why the last attempt failed (if it did), then Cancel, focused
 * first so Enter does not confirm by accident, and the confirming button.
 */
export function ConfirmActions({
  error,
  pending,
  color,
  onCancel,
  onConfirm,
  children,
}: {
  /** The mutation's error (null when it did not fail). */
  error?: unknown;
  pending: boolean;
  color?: string;
  onCancel: () => void;
  onConfirm: () => void;
  /** The confirming button's label. */
  children: ReactNode;
}) {
  return (
    <>
      {error ? (
        <Alert color="red" role="alert">
          {describeError(error).message}
        </Alert>
      ) : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel} data-autofocus>
          Cancel
        </Button>
        <Button color={color} loading={pending} onClick={onConfirm}>
          {children}
        </Button>
      </Group>
    </>
  );
}
