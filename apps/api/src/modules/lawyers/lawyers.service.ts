import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { LawyerStatus } from '@lm/domain';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { AuditService } from '../audit';
import { NotificationsService } from '../notifications';
import { WebhookEvents } from '../webhooks';
import { BlobStore } from '../storage';
import { decideVerification, statusAfterEdit } from './lawyer-verification';
import type { LawyerProfile, LawyerProfileFields } from './lawyer-profile';
import { Clock } from '../../common/time/clock';
import { licenceExtension, MAX_LICENCE_BYTES, sniffLicenceType } from './licence-document';
import {
  LawyerNotFound,
  LawyerPhotoNotFound,
  LawyerStatusConflict,
  LicenceNotFound,
  LicenceTooLarge,
  LicenceTypeUnsupported,
  PhotoTooLarge,
  PhotoTypeUnsupported,
} from './lawyers.errors';
import { LawyersRepository } from './lawyers.repository';
import { MAX_PHOTO_BYTES, sniffImageType } from './photo-image';

export interface PhotoUpload {
  bytes: unknown;
  /** The request's Content-Type (without parameters). */
  declaredType: string | undefined;
}

/**
 * Lawyer profiles and their verification. Only VERIFIED profiles of ACTIVE accounts are shown
 * to anyone but the lawyer and admins; every other lookup is a 404, so a pending lawyer's
 * existence is not revealed. Decisions and edits are audited in their transaction.
 */
@Injectable()
export class LawyersService {
  private readonly logger = new Logger(LawyersService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: LawyersRepository,
    private readonly audit: AuditService,
    private readonly blobs: BlobStore,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly webhooks: WebhookEvents,
  ) {}

  /**
   * Creates the pending profile of a new LAWYER account in the sign-up transaction (called by
   * the identity module). Accounts created another way (admin, CLI) get theirs on first use.
   */
  async createForNewLawyer(manager: EntityManager, userId: string): Promise<void> {
    await this.repo.ensure(manager, userId);
  }

  async getOwn(actor: AuthUser): Promise<LawyerProfile> {
    await this.dataSource.transaction((m) => this.repo.ensure(m, actor.id));
    return this.mustFind(actor.id);
  }

  async updateOwn(actor: AuthUser, fields: LawyerProfileFields): Promise<LawyerProfile> {
    const normalised: LawyerProfileFields = {
      barNumber: fields.barNumber.trim(),
      barJurisdiction: fields.barJurisdiction.trim(),
      jurisdictions: unique(fields.jurisdictions.map((j) => j.trim())),
      practiceAreas: unique(fields.practiceAreas),
      languages: unique(fields.languages.map((l) => l.toLowerCase())),
      bio: fields.bio.trim(),
    };
    await this.dataSource.transaction(async (m) => {
      const current = await this.lockOwn(m, actor.id);
      const credentialsChanged =
        current.barNumber !== normalised.barNumber || current.barJurisdiction !== normalised.barJurisdiction;
      const status = statusAfterEdit(current.status, credentialsChanged);
      await this.repo.updateFields(m, actor.id, normalised, status);
      // audit: lawyer.profile_updated
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'lawyer.profile_updated',
        subjectType: 'lawyer',
        subjectId: actor.id,
        payload: { from: current.status, to: status },
      });
    });
    return this.mustFind(actor.id);
  }

  /**
   * Replaces the lawyer's photo. The type is decided by the bytes (JPEG, PNG or WebP); a
   * declared image type must agree. Stored under a content-addressed key so the row and the
   * blob always match; the previous blob is removed after the change commits.
   */
  async updatePhoto(actor: AuthUser, upload: PhotoUpload): Promise<LawyerProfile> {
    if (!Buffer.isBuffer(upload.bytes) || upload.bytes.length === 0) throw new PhotoTypeUnsupported();
    const bytes = upload.bytes;
    if (bytes.length > MAX_PHOTO_BYTES) throw new PhotoTooLarge();
    const contentType = sniffImageType(bytes);
    if (!contentType) throw new PhotoTypeUnsupported();
    if (upload.declaredType && upload.declaredType !== 'application/octet-stream' && upload.declaredType !== contentType) {
      throw new PhotoTypeUnsupported('The photo’s bytes do not match its Content-Type');
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const key = `lawyer-photos/${actor.id}/${sha256}`;
    const stored = await this.blobs.put(key, bytes, { contentType });
    let previousKey: string | null = null;
    await this.dataSource.transaction(async (m) => {
      const current = await this.lockOwn(m, actor.id);
      previousKey = current.photoKey;
      const status = statusAfterEdit(current.status, false);
      await this.repo.updatePhoto(m, actor.id, { key, sha256: stored.sha256, contentType }, status);
      // audit: lawyer.photo_updated
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'lawyer.photo_updated',
        subjectType: 'lawyer',
        subjectId: actor.id,
        payload: { sha256: stored.sha256, size: stored.size, contentType, from: current.status, to: status },
      });
    });
    if (previousKey && previousKey !== key) {
      await this.blobs
        .delete(previousKey)
        .catch((err: unknown) => this.logger.warn({ err, key: previousKey }, 'Could not remove the previous lawyer photo'));
    }
    return this.mustFind(actor.id);
  }

  /**
   * Replaces the lawyer's licence document (PDF, PNG or JPEG, decided by the bytes; a declared
   * type must agree), content-addressed like the photo. A new document is new evidence: a
   * VERIFIED or REJECTED profile goes back to PENDING_VERIFICATION for an admin to look again.
   */
  async updateLicence(actor: AuthUser, upload: PhotoUpload): Promise<LawyerProfile> {
    if (!Buffer.isBuffer(upload.bytes) || upload.bytes.length === 0) throw new LicenceTypeUnsupported();
    const bytes = upload.bytes;
    if (bytes.length > MAX_LICENCE_BYTES) throw new LicenceTooLarge();
    const contentType = sniffLicenceType(bytes);
    if (!contentType) throw new LicenceTypeUnsupported();
    if (upload.declaredType && upload.declaredType !== 'application/octet-stream' && upload.declaredType !== contentType) {
      throw new LicenceTypeUnsupported('The licence document’s bytes do not match its Content-Type');
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const key = `lawyer-licences/${actor.id}/${sha256}`;
    const stored = await this.blobs.put(key, bytes, { contentType });
    let previousKey: string | null = null;
    await this.dataSource.transaction(async (m) => {
      const current = await this.lockOwn(m, actor.id);
      previousKey = current.licenceKey;
      const status = statusAfterEdit(current.status, current.licenceSha256 !== stored.sha256);
      await this.repo.updateLicence(
        m,
        actor.id,
        { key, sha256: stored.sha256, contentType, size: stored.size, uploadedAt: this.clock.now() },
        status,
      );
      // audit: lawyer.licence_uploaded
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'lawyer.licence_uploaded',
        subjectType: 'lawyer',
        subjectId: actor.id,
        payload: { sha256: stored.sha256, size: stored.size, contentType, from: current.status, to: status },
      });
    });
    if (previousKey && previousKey !== key) {
      await this.blobs
        .delete(previousKey)
        .catch((err: unknown) => this.logger.warn({ err, key: previousKey }, 'Could not remove the previous licence document'));
    }
    return this.mustFind(actor.id);
  }

  /**
   * The licence document for an admin. Every download is recorded in the audit trail (its own
   * transaction: nothing else changes) before any byte is sent, so no access goes unrecorded.
   */
  async getLicenceForAdmin(
    admin: AuthUser,
    lawyerId: string,
  ): Promise<{ stream: Readable; size: number; contentType: string; sha256: string; fileName: string }> {
    const profile = await this.mustFind(lawyerId);
    if (!profile.licenceKey || !profile.licenceSha256 || !profile.licenceContentType) throw new LicenceNotFound();
    const blob = await this.blobs.get(profile.licenceKey);
    try {
      await this.dataSource.transaction(async (m) => {
        // audit: lawyer.licence_downloaded
        await this.audit.record(m, {
          actorId: admin.id,
          actorRole: admin.role,
          action: 'lawyer.licence_downloaded',
          subjectType: 'lawyer',
          subjectId: lawyerId,
          payload: { sha256: profile.licenceSha256 },
        });
      });
    } catch (e) {
      blob.stream.destroy();
      throw e;
    }
    const fileName = `licence-${lawyerId}.${licenceExtension(profile.licenceContentType)}`;
    return {
      stream: blob.stream,
      size: blob.size,
      contentType: profile.licenceContentType,
      sha256: profile.licenceSha256,
      fileName,
    };
  }

  /** Any lawyer's photo, whatever the profile's status, for the admin's verification view. */
  async getPhotoForAdmin(lawyerId: string): Promise<{ stream: Readable; size: number; contentType: string; sha256: string }> {
    const profile = await this.mustFind(lawyerId);
    if (!profile.photoKey || !profile.photoSha256 || !profile.photoContentType) throw new LawyerPhotoNotFound();
    const blob = await this.blobs.get(profile.photoKey);
    return { stream: blob.stream, size: blob.size, contentType: profile.photoContentType, sha256: profile.photoSha256 };
  }

  /** The public profile: VERIFIED and ACTIVE only, else 404. */
  async getVisible(lawyerId: string): Promise<LawyerProfile> {
    const profile = await this.repo.findVisible(lawyerId);
    if (!profile) throw new LawyerNotFound();
    return profile;
  }

  async getVisiblePhoto(lawyerId: string): Promise<{ stream: Readable; size: number; contentType: string; sha256: string }> {
    const profile = await this.getVisible(lawyerId);
    if (!profile.photoKey || !profile.photoSha256 || !profile.photoContentType) throw new LawyerPhotoNotFound();
    const blob = await this.blobs.get(profile.photoKey);
    return { stream: blob.stream, size: blob.size, contentType: profile.photoContentType, sha256: profile.photoSha256 };
  }

  /** Any profile, whatever its status (admins). */
  getForAdmin(lawyerId: string): Promise<LawyerProfile> {
    return this.mustFind(lawyerId);
  }

  list(filter: { status?: LawyerStatus; page: number; pageSize: number }): Promise<{ items: LawyerProfile[]; total: number }> {
    return this.repo.list(filter);
  }

  verify(admin: AuthUser, lawyerId: string): Promise<LawyerProfile> {
    return this.decide(admin, lawyerId, { status: 'VERIFIED', adminId: admin.id });
  }

  reject(admin: AuthUser, lawyerId: string, reason: string): Promise<LawyerProfile> {
    return this.decide(admin, lawyerId, { status: 'REJECTED', reason: reason.trim() });
  }

  private async decide(
    admin: AuthUser,
    lawyerId: string,
    decision: { status: 'VERIFIED'; adminId: string } | { status: 'REJECTED'; reason: string },
  ): Promise<LawyerProfile> {
    await this.dataSource.transaction(async (m) => {
      const current = await this.repo.findForUpdate(m, lawyerId);
      if (!current) throw new LawyerNotFound();
      const to = decideVerification(current.status, decision.status === 'VERIFIED' ? 'VERIFY' : 'REJECT');
      if (!to)
        throw new LawyerStatusConflict(`A ${current.status} lawyer cannot be ${decision.status.toLowerCase()}`, {
          status: current.status,
        });
      await this.repo.setDecision(m, lawyerId, decision);
      // audit: lawyer.verified | lawyer.rejected
      await this.audit.record(m, {
        actorId: admin.id,
        actorRole: admin.role,
        action: to === 'VERIFIED' ? 'lawyer.verified' : 'lawyer.rejected',
        subjectType: 'lawyer',
        subjectId: lawyerId,
        payload:
          decision.status === 'REJECTED' ? { from: current.status, to, reason: decision.reason } : { from: current.status, to },
      });
      // The lawyer is told in the same transaction (in-app and by email).
      if (decision.status === 'VERIFIED') {
        await this.notifications.notify(m, { userId: lawyerId, kind: 'lawyer.verified', params: {} });
        // The lawyer's own integrations hear of it too (their profile is now public).
        const at = this.clock.now();
        await this.webhooks.emit(m, {
          type: 'lawyer.verified',
          occurredAt: at,
          recipients: [{ userId: lawyerId, data: { lawyerId, status: 'VERIFIED', verifiedAt: at.toISOString() } }],
        });
      } else
        await this.notifications.notify(m, { userId: lawyerId, kind: 'lawyer.rejected', params: { reason: decision.reason } });
    });
    return this.mustFind(lawyerId);
  }

  private async lockOwn(m: EntityManager, userId: string): Promise<LawyerProfile> {
    await this.repo.ensure(m, userId);
    const current = await this.repo.findForUpdate(m, userId);
    if (!current) throw new LawyerNotFound();
    return current;
  }

  private async mustFind(userId: string): Promise<LawyerProfile> {
    const profile = await this.repo.find(userId);
    if (!profile) throw new LawyerNotFound();
    return profile;
  }
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
