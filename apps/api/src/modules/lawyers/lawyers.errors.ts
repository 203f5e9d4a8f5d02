import { domainError } from '../../common/errors/domain-error';

/** No such lawyer, or one the caller may not see (a pending or rejected lawyer is invisible to others). */
export class LawyerNotFound extends domainError('LAWYER_NOT_FOUND', 404, 'Lawyer not found') {}
export class LawyerPhotoNotFound extends domainError('LAWYER_PHOTO_NOT_FOUND', 404, 'This lawyer has no photo') {}
/** The verification decision does not apply to the profile's current status (e.g. verifying a VERIFIED lawyer). */
export class LawyerStatusConflict extends domainError('LAWYER_STATUS_CONFLICT', 409, 'This decision does not apply to the lawyer’s current status') {}
export class PhotoTypeUnsupported extends domainError(
  'PHOTO_TYPE_UNSUPPORTED',
  415,
  'Send the photo as the raw bytes of a JPEG, PNG or WebP image (Content-Type image/jpeg, image/png, image/webp or application/octet-stream)',
) {}
export class PhotoTooLarge extends domainError('PAYLOAD_TOO_LARGE', 413, 'The photo is larger than 2 MB') {}
