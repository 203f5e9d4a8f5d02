import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { LawyerStatus } from '@lm/domain';
import { DataSource, EntityManager } from 'typeorm';
import type { LawyerProfile, LawyerProfileFields } from './lawyer-profile';
import type { LicenceContentType } from './licence-document';
import type { PhotoContentType } from './photo-image';

const SELECT_PROFILE = `
  SELECT p.user_id AS "userId", u.email::text AS email, u.display_name AS "displayName", u.status AS "userStatus",
         p.bar_number AS "barNumber", p.bar_jurisdiction AS "barJurisdiction", p.jurisdictions, p.practice_areas AS "practiceAreas",
         p.languages, p.bio, p.photo_key AS "photoKey", p.photo_sha256 AS "photoSha256", p.photo_content_type AS "photoContentType",
         p.licence_key AS "licenceKey", p.licence_sha256 AS "licenceSha256", p.licence_content_type AS "licenceContentType",
         p.licence_size AS "licenceSize", p.licence_uploaded_at AS "licenceUploadedAt",
         p.status, p.rejection_reason AS "rejectionReason", p.verified_at AS "verifiedAt", p.verified_by AS "verifiedBy",
         p.created_at AS "createdAt", p.updated_at AS "updatedAt"
    FROM lawyer_profiles p
    JOIN user_directory u ON u.id = p.user_id`;

/**
 * The SET items for an edit by the lawyer that leaves the profile in status `$param`: the
 * rejection reason is kept only while it stays REJECTED, the verification only while it stays
 * VERIFIED. Shared by every own-profile update so the rules cannot drift apart.
 */
function editedStatus(param: number): string {
  const p = `$${param}`;
  return `status = ${p},
              rejection_reason = CASE WHEN ${p} = 'REJECTED' THEN rejection_reason END,
              verified_at = CASE WHEN ${p} = 'VERIFIED' THEN verified_at END,
              verified_by = CASE WHEN ${p} = 'VERIFIED' THEN verified_by END,
              updated_at = now()`;
}

/** The only place that queries `lawyer_profiles` (read joins with `users` for name, email and account status). */
@Injectable()
export class LawyersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates the (empty, pending) profile of a LAWYER account unless it exists. */
  async ensure(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(
      `INSERT INTO lawyer_profiles (user_id)
       SELECT id FROM user_directory WHERE id = $1 AND role = 'LAWYER'
       ON CONFLICT (user_id) DO NOTHING`,
      [userId],
    );
  }

  async find(userId: string, manager: EntityManager = this.dataSource.manager): Promise<LawyerProfile | null> {
    const rows: LawyerProfile[] = await manager.query(`${SELECT_PROFILE} WHERE p.user_id = $1`, [userId]);
    return rows[0] ?? null;
  }

  /** Locks the profile row for a change in the running transaction. */
  async findForUpdate(manager: EntityManager, userId: string): Promise<LawyerProfile | null> {
    const rows: LawyerProfile[] = await manager.query(`${SELECT_PROFILE} WHERE p.user_id = $1 FOR UPDATE OF p`, [userId]);
    return rows[0] ?? null;
  }

  /** Visible to everyone: VERIFIED, and the account is ACTIVE. */
  async findVisible(userId: string): Promise<LawyerProfile | null> {
    const rows: LawyerProfile[] = await this.dataSource.query(
      `${SELECT_PROFILE} WHERE p.user_id = $1 AND p.status = 'VERIFIED' AND u.status = 'ACTIVE' AND u.role = 'LAWYER'`,
      [userId],
    );
    return rows[0] ?? null;
  }

  async updateFields(manager: EntityManager, userId: string, fields: LawyerProfileFields, status: LawyerStatus): Promise<void> {
    await manager.query(
      `UPDATE lawyer_profiles
          SET bar_number = $2, bar_jurisdiction = $3, jurisdictions = $4, practice_areas = $5, languages = $6, bio = $7,
              ${editedStatus(8)}
        WHERE user_id = $1`,
      [userId, fields.barNumber, fields.barJurisdiction, fields.jurisdictions, fields.practiceAreas, fields.languages, fields.bio, status],
    );
  }

  async updatePhoto(
    manager: EntityManager,
    userId: string,
    photo: { key: string; sha256: string; contentType: PhotoContentType },
    status: LawyerStatus,
  ): Promise<void> {
    await manager.query(
      `UPDATE lawyer_profiles
          SET photo_key = $2, photo_sha256 = $3, photo_content_type = $4,
              ${editedStatus(5)}
        WHERE user_id = $1`,
      [userId, photo.key, photo.sha256, photo.contentType, status],
    );
  }

  async updateLicence(
    manager: EntityManager,
    userId: string,
    licence: { key: string; sha256: string; contentType: LicenceContentType; size: number; uploadedAt: Date },
    status: LawyerStatus,
  ): Promise<void> {
    await manager.query(
      `UPDATE lawyer_profiles
          SET licence_key = $2, licence_sha256 = $3, licence_content_type = $4, licence_size = $5, licence_uploaded_at = $6,
              ${editedStatus(7)}
        WHERE user_id = $1`,
      [userId, licence.key, licence.sha256, licence.contentType, licence.size, licence.uploadedAt, status],
    );
  }

  /** Records an admin's decision (status CHECKs keep verified_* and rejection_reason consistent). */
  async setDecision(
    manager: EntityManager,
    userId: string,
    decision: { status: 'VERIFIED'; adminId: string } | { status: 'REJECTED'; reason: string },
  ): Promise<void> {
    await manager.query(
      `UPDATE lawyer_profiles
          SET status = $2,
              verified_at = CASE WHEN $2 = 'VERIFIED' THEN now() END,
              verified_by = CASE WHEN $2 = 'VERIFIED' THEN $3::uuid END,
              rejection_reason = CASE WHEN $2 = 'REJECTED' THEN $4 END,
              updated_at = now()
        WHERE user_id = $1`,
      [userId, decision.status, decision.status === 'VERIFIED' ? decision.adminId : null, decision.status === 'REJECTED' ? decision.reason : null],
    );
  }

  /** The verification queue: oldest first, optionally one status. */
  async list(filter: { status?: LawyerStatus; page: number; pageSize: number }): Promise<{ items: LawyerProfile[]; total: number }> {
    const where = filter.status ? 'WHERE p.status = $1' : 'WHERE $1::text IS NULL';
    const status = filter.status ?? null;
    // The queue is worked oldest first; any other list shows the latest decisions and changes first
    // (an admin looks for who was just verified or rejected, not for the first sign-up ever).
    const order = filter.status === 'PENDING_VERIFICATION' ? 'p.created_at ASC' : 'p.updated_at DESC';
    const [items, counts] = await Promise.all([
      this.dataSource.query(`${SELECT_PROFILE} ${where} ORDER BY ${order}, p.user_id ASC LIMIT $2 OFFSET $3`, [
        status,
        filter.pageSize,
        (filter.page - 1) * filter.pageSize,
      ]) as Promise<LawyerProfile[]>,
      this.dataSource.query(`SELECT count(*)::int AS total FROM lawyer_profiles p ${where}`, [status]) as Promise<{ total: number }[]>,
    ]);
    return { items, total: counts[0]?.total ?? 0 };
  }
}
