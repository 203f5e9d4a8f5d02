import { PagedResponse } from '../../../common/http/paged.response';
import { ApiProperty, PickType } from '@nestjs/swagger';
import { LAWYER_STATUSES, PRACTICE_AREAS, type LawyerStatus, type PracticeArea } from '@lm/domain';
import type { LawyerProfile } from '../lawyer-profile';
import { LICENCE_CONTENT_TYPES, type LicenceContentType } from '../licence-document';

/** The profile as its owner and admins see it. */
export class LawyerProfileResponse {
  @ApiProperty({ format: 'uuid' })
  userId: string;
  @ApiProperty({ example: 'Ana López' })
  displayName: string;
  @ApiProperty({ type: String, nullable: true, example: 'ICAM-84213' })
  barNumber: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Madrid, Spain' })
  barJurisdiction: string | null;
  @ApiProperty({ type: [String], example: ['ES'] })
  jurisdictions: string[];
  @ApiProperty({ enum: PRACTICE_AREAS, isArray: true })
  practiceAreas: PracticeArea[];
  @ApiProperty({ type: [String], example: ['es', 'en'] })
  languages: string[];
  @ApiProperty({
    example: 'Employment lawyer in Berlin with 12 years of practice in dismissals, severance and works-council disputes.',
  })
  bio: string;
  /** Lower-case hex SHA-256 of the current photo, or null without one. */
  @ApiProperty({ type: String, nullable: true })
  photoSha256: string | null;
  /** When the current licence document was uploaded, or null without one (the document itself is for admins only). */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  licenceUploadedAt: Date | null;
  @ApiProperty({ enum: LAWYER_STATUSES, example: 'PENDING_VERIFICATION' })
  status: LawyerStatus;
  /** Why an admin rejected the profile (REJECTED only). */
  @ApiProperty({ example: 'The licence scan is unreadable; upload a clearer copy.', type: String, nullable: true })
  rejectionReason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  verifiedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The uploaded licence document; the bytes come from `downloadUrl` (admins only, audited). */
export class LicenceDocumentResponse {
  @ApiProperty({ enum: LICENCE_CONTENT_TYPES })
  contentType: LicenceContentType;
  @ApiProperty({ example: 184_320 })
  size: number;
  @ApiProperty({ description: 'Lower-case hex SHA-256 of the document' })
  sha256: string;
  @ApiProperty({ type: String, format: 'date-time' })
  uploadedAt: Date;
  @ApiProperty({ example: '/api/admin/lawyers/6f1c…/licence' })
  downloadUrl: string;
}

/** A queue entry for admins: the profile plus the account behind it. */
export class AdminLawyerResponse extends LawyerProfileResponse {
  @ApiProperty({ example: 'ana.lopez@example.com' })
  email: string;
  @ApiProperty({ enum: ['ACTIVE', 'SUSPENDED'] })
  accountStatus: 'ACTIVE' | 'SUSPENDED';
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  verifiedBy: string | null;
  /** Path of the photo for admins (`GET /api/admin/lawyers/{id}/photo`), or null without one. */
  @ApiProperty({ type: String, nullable: true, example: '/api/admin/lawyers/6f1c…/photo' })
  photoUrl: string | null;
  @ApiProperty({ type: LicenceDocumentResponse, nullable: true })
  licence: LicenceDocumentResponse | null;
}

export class AdminLawyerPageResponse extends PagedResponse(AdminLawyerResponse) {}

/** What everyone may see of a VERIFIED lawyer: no email, no verification internals. */
export class PublicLawyerResponse extends PickType(LawyerProfileResponse, [
  'displayName',
  'barNumber',
  'barJurisdiction',
  'jurisdictions',
  'practiceAreas',
  'languages',
  'bio',
] as const) {
  @ApiProperty({ format: 'uuid' })
  id: string;
  /** Path of the photo (`GET /api/lawyers/{id}/photo`), or null without one. */
  @ApiProperty({ type: String, nullable: true, example: '/api/lawyers/6f1c…/photo' })
  photoUrl: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  verifiedAt: Date;
}

export function toLawyerProfileResponse(p: LawyerProfile): LawyerProfileResponse {
  return {
    userId: p.userId,
    displayName: p.displayName,
    barNumber: p.barNumber,
    barJurisdiction: p.barJurisdiction,
    jurisdictions: p.jurisdictions,
    practiceAreas: p.practiceAreas,
    languages: p.languages,
    bio: p.bio,
    photoSha256: p.photoSha256,
    licenceUploadedAt: p.licenceUploadedAt,
    status: p.status,
    rejectionReason: p.rejectionReason,
    verifiedAt: p.verifiedAt,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

export function toAdminLawyerResponse(p: LawyerProfile): AdminLawyerResponse {
  return {
    ...toLawyerProfileResponse(p),
    email: p.email,
    accountStatus: p.userStatus,
    verifiedBy: p.verifiedBy,
    photoUrl: p.photoKey ? `/api/admin/lawyers/${p.userId}/photo` : null,
    licence:
      p.licenceKey && p.licenceSha256 && p.licenceContentType && p.licenceSize !== null && p.licenceUploadedAt
        ? {
            contentType: p.licenceContentType,
            size: p.licenceSize,
            sha256: p.licenceSha256,
            uploadedAt: p.licenceUploadedAt,
            downloadUrl: `/api/admin/lawyers/${p.userId}/licence`,
          }
        : null,
  };
}

export function toPublicLawyerResponse(p: LawyerProfile): PublicLawyerResponse {
  return {
    id: p.userId,
    displayName: p.displayName,
    barNumber: p.barNumber,
    barJurisdiction: p.barJurisdiction,
    jurisdictions: p.jurisdictions,
    practiceAreas: p.practiceAreas,
    languages: p.languages,
    bio: p.bio,
    photoUrl: p.photoKey ? `/api/lawyers/${p.userId}/photo` : null,
    verifiedAt: p.verifiedAt ?? p.updatedAt,
  };
}
