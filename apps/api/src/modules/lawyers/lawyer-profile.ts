import type { LawyerStatus, PracticeArea } from '@lm/domain';
import type { LicenceContentType } from './licence-document';
import type { PhotoContentType } from './photo-image';

/** A row of `lawyer_profiles` joined with the account it belongs to. */
export interface LawyerProfile {
  userId: string;
  /** The account's email and display name and status (from `users`). */
  email: string;
  displayName: string;
  userStatus: 'ACTIVE' | 'SUSPENDED';
  barNumber: string | null;
  barJurisdiction: string | null;
  jurisdictions: string[];
  practiceAreas: PracticeArea[];
  /** ISO 639-1 codes, lower case. */
  languages: string[];
  bio: string;
  /** BlobStore key of the current photo (content-addressed: `lawyer-photos/<userId>/<sha256>`). */
  photoKey: string | null;
  photoSha256: string | null;
  photoContentType: PhotoContentType | null;
  /** BlobStore key of the licence document (`lawyer-licences/<userId>/<sha256>`); only admins download it. */
  licenceKey: string | null;
  licenceSha256: string | null;
  licenceContentType: LicenceContentType | null;
  licenceSize: number | null;
  licenceUploadedAt: Date | null;
  status: LawyerStatus;
  rejectionReason: string | null;
  verifiedAt: Date | null;
  verifiedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The fields a lawyer edits. */
export interface LawyerProfileFields {
  barNumber: string;
  barJurisdiction: string;
  jurisdictions: string[];
  practiceAreas: PracticeArea[];
  languages: string[];
  bio: string;
}
