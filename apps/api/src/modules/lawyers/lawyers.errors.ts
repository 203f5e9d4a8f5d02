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
export class LicenceTypeUnsupported extends domainError(
  'LICENCE_TYPE_UNSUPPORTED',
  415,
  'Send the licence as the raw bytes of a PDF, PNG or JPEG file (Content-Type application/pdf, image/png, image/jpeg or application/octet-stream)',
) {}
export class LicenceTooLarge extends domainError('PAYLOAD_TOO_LARGE', 413, 'The licence document is larger than 5 MB') {}
export class LicenceNotFound extends domainError('LAWYER_LICENCE_NOT_FOUND', 404, 'This lawyer has not uploaded a licence document') {}
