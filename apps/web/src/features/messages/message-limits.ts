import { ATTACHMENT_MAX_BYTES, MAX_ATTACHMENTS_PER_MESSAGE, MESSAGE_MAX_BUCKET, NOTE_MAX_BUCKET } from '@lm/e2ee';

/**
 * What one message may carry (the contract of libs/e2ee and the API): files up to 25 MiB each,
 * at most 10 per message, and an encrypted body of at most 64 KiB after padding. The composer
 * says so before sending; the library checks again.
 */
export const MAX_ATTACHMENT_BYTES = ATTACHMENT_MAX_BYTES;
export const MAX_ATTACHMENTS = MAX_ATTACHMENTS_PER_MESSAGE;
/** The largest padding bucket less its 4-byte length prefix. */
export const MAX_BODY_BYTES = MESSAGE_MAX_BUCKET - 4;
/** The same for a session note. */
export const MAX_NOTE_BYTES = NOTE_MAX_BUCKET - 4;
/** What one attachment's reference (key, nonce, hash, type, size, id) adds to the body, besides its name. */
const ATTACHMENT_REF_BYTES = 260;

const encoder = new TextEncoder();

/** "512 B", "1.4 KB", "25 MB" (binary units, one decimal). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10} ${units[unit]}`;
}

/** The body the library encrypts for `text` and files named `names`, in bytes (a close upper estimate). */
export function messageBodyBytes(text: string, names: string[]): number {
  const refs = names.reduce((sum, name) => sum + ATTACHMENT_REF_BYTES + encoder.encode(JSON.stringify(name)).length, 0);
  return encoder.encode(JSON.stringify({ v: 1, text, attachments: [] })).length + refs;
}

/** The body of a note with `text`, in bytes. */
export function noteBodyBytes(text: string): number {
  return encoder.encode(JSON.stringify({ v: 1, text })).length;
}

export interface FileCheck {
  accepted: File[];
  /** One sentence per refused file, for people. */
  errors: string[];
}

/** Adds `picked` to `current` within the limits; says which files were left out and why. */
export function checkFiles(current: File[], picked: File[]): FileCheck {
  const accepted = [...current];
  const errors: string[] = [];
  for (const file of picked) {
    if (file.size > MAX_ATTACHMENT_BYTES) {
      errors.push(`“${file.name}” is larger than 25 MB, the most one file can be.`);
    } else if (accepted.length >= MAX_ATTACHMENTS) {
      errors.push(`“${file.name}” was not added: a message can carry at most ${MAX_ATTACHMENTS} files.`);
    } else {
      accepted.push(file);
    }
  }
  return { accepted, errors };
}
