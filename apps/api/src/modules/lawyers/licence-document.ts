/** Largest accepted licence document (a scanned PDF or a phone photo of the licence). */
export const MAX_LICENCE_BYTES = 5 * 1024 * 1024;

export const LICENCE_CONTENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type LicenceContentType = (typeof LICENCE_CONTENT_TYPES)[number];

/** Content types the upload route accepts as a raw body: the document types, or a generic binary. */
export const LICENCE_UPLOAD_CONTENT_TYPES = [...LICENCE_CONTENT_TYPES, 'application/octet-stream'] as const;

/**
 * The document type of `bytes` by its magic number (never trusting the declared type), or null.
 * PDF: "%PDF-"; PNG: 89 50 4E 47 0D 0A 1A 0A; JPEG: FF D8 FF.
 */
export function sniffLicenceType(bytes: Buffer): LicenceContentType | null {
  if (bytes.length >= 5 && bytes.toString('latin1', 0, 5) === '%PDF-') return 'application/pdf';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return null;
}

/** The file extension for the download's file name. */
export function licenceExtension(type: LicenceContentType): string {
  return type === 'application/pdf' ? 'pdf' : type === 'image/png' ? 'png' : 'jpg';
}
