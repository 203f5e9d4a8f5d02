/** Largest accepted profile photo. */
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;

export const PHOTO_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoContentType = (typeof PHOTO_CONTENT_TYPES)[number];

/** Content types the upload route accepts as a raw body: the image types, or a generic binary. */
export const PHOTO_UPLOAD_CONTENT_TYPES = [...PHOTO_CONTENT_TYPES, 'application/octet-stream'] as const;

/**
 * The image type of `bytes` by its magic number (never trusting the declared type), or null.
 * JPEG: FF D8 FF; PNG: 89 50 4E 47 0D 0A 1A 0A; WebP: "RIFF" <size> "WEBP".
 */
export function sniffImageType(bytes: Buffer): PhotoContentType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}
