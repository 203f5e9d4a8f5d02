import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit';
import { NotificationsService } from '../notifications';
import { WebhookEvents } from '../webhooks';
import { ContractDocuments, type TrackBlob } from './contract-documents.service';
import { assertSignable, PARTY_ROLES } from './contract-rules';
import { ContractAlreadySigned, ContractNotFound, ContractNotViewed, ContractVersionStale } from './contracts.errors';
import { ContractsRepository, type ContractRow, type VersionRow } from './contracts.repository';
import { ContractsService, roleOf, type ContractDetail } from './contracts.service';
import type { PartyRole, SignatureDrawing } from './render/contract-document';
import { checkSignature } from './signature-rules';

/** Where a signer's request came from, as recorded in the signer events and on the certificate page. */
export interface SignerClient {
  ip: string | null;
  userAgent: string | null;
}

export interface SignInput {
  versionSha256: string;
  consent: boolean;
  typedName: string;
  drawing?: SignatureDrawing | null;
}

/**
 * Signing (a simple electronic signature with an audit trail): each party opens the current
 * version (VIEWED), consents to sign electronically, types their name and optionally draws a
 * signature; the signature binds the version's SHA-256. Every step takes the contract's row lock
 * first, so signatures are serialized per contract: of any number of concurrent final
 * signatures, exactly one executes the contract — renders the executed PDF, seals and stores it,
 * records `contract_executions` and the `contract.executed` audit entry — in its transaction,
 * and the others find it EXECUTED (409).
 */
@Injectable()
export class ContractSigning {
  constructor(
    private readonly repo: ContractsRepository,
    private readonly contracts: ContractsService,
    private readonly docs: ContractDocuments,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly webhooks: WebhookEvents,
  ) {}

  /** Records that the party opened the current version (once per party and version). */
  async viewed(actor: AuthUser, id: string, versionSha256: string, client: SignerClient): Promise<ContractDetail> {
    await this.docs.inTransaction(async (m) => {
      const { c, role, version } = await this.lockForSigner(m, actor, id, versionSha256);
      const inserted = await this.repo.insertEvent(m, {
        contractId: c.id,
        versionId: version.id,
        userId: actor.id,
        role,
        type: 'VIEWED',
        at: this.clock.now(),
        ...client,
        documentSha256: version.pdfSha256,
        detail: {},
      });
      if (!inserted) return;
      // audit: contract.viewed
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'contract.viewed',
        subjectType: 'contract',
        subjectId: c.id,
        payload: { number: c.number, role, versionId: version.id, sha256: version.pdfSha256 },
      });
    });
    return this.contracts.detail(actor, id);
  }

  /** A party refuses to sign, with a reason: the contract is DECLINED (closed) for both. */
  async decline(actor: AuthUser, id: string, reason: string, client: SignerClient): Promise<ContractDetail> {
    await this.docs.inTransaction(async (m) => {
      const { c, role, version } = await this.lockForSigner(m, actor, id, null);
      const signatures = await this.repo.signatures(m, c.id, version.id);
      if (signatures.some((s) => s.role === role)) throw new ContractAlreadySigned();
      const now = this.clock.now();
      await this.repo.insertEvent(m, {
        contractId: c.id,
        versionId: version.id,
        userId: actor.id,
        role,
        type: 'DECLINED',
        at: now,
        ...client,
        documentSha256: version.pdfSha256,
        detail: { reason },
      });
      await this.repo.update(m, c.id, { status: 'DECLINED', closedAt: now, closeReason: reason, updatedAt: now });
      await this.notifications.notify(m, {
        userId: role === 'LAWYER' ? c.clientId : c.lawyerId,
        kind: 'contract.declined',
        params: {
          contractId: c.id,
          number: c.number,
          title: c.title,
          counterpartName: role === 'LAWYER' ? c.lawyerName : c.clientName,
          reason,
        },
        dedupeKey: `contract-declined:${c.id}`,
      });
      // audit: contract.declined
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'contract.declined',
        subjectType: 'contract',
        subjectId: c.id,
        payload: { number: c.number, role, versionId: version.id, sha256: version.pdfSha256, reason },
      });
    });
    return this.contracts.detail(actor, id);
  }

  /**
   * Signs the current version for the caller's side (CONSENTED and SIGNED events, the
   * signature); the last signature executes the contract in the same transaction.
   */
  async sign(actor: AuthUser, id: string, input: SignInput, client: SignerClient): Promise<ContractDetail> {
    await this.docs.inTransaction(async (m, track) => {
      // The contract's state first: on an executed or closed contract any body is a 409, never
      // a 400 about the signature.
      const { c, role, version } = await this.lockForSigner(m, actor, id, input.versionSha256);
      const { typedName, drawing } = checkSignature(input);
      const signed = await this.repo.signatures(m, c.id, version.id);
      if (signed.some((s) => s.role === role)) throw new ContractAlreadySigned();
      const events = await this.repo.events(m, c.id);
      if (!events.some((e) => e.type === 'VIEWED' && e.role === role && e.versionId === version.id))
        throw new ContractNotViewed();

      const now = this.clock.now();
      const event = {
        contractId: c.id,
        versionId: version.id,
        userId: actor.id,
        role,
        at: now,
        ...client,
        documentSha256: version.pdfSha256,
      };
      await this.repo.insertEvent(m, { ...event, type: 'CONSENTED', detail: { text: CONSENT_TEXT } });
      await this.repo.insertEvent(m, { ...event, type: 'SIGNED', detail: { typedName, drawn: drawing !== null } });
      await this.repo.insertSignature(m, { ...event, typedName, drawing, signedAt: now });

      const executes = PARTY_ROLES.every((r) => r === role || signed.some((s) => s.role === r));
      // The executed PDF is rendered, sealed and stored BEFORE any audit write: audit.record
      // takes the platform-wide audit lock (held to the commit), which must not wait on a render.
      const pdf = executes ? await this.storeExecuted(m, track, c, version, now) : null;
      if (!pdf) {
        await this.repo.update(m, c.id, { status: 'PARTIALLY_SIGNED', updatedAt: now });
        const other = role === 'LAWYER' ? { id: c.clientId } : { id: c.lawyerId };
        await this.notifications.notify(m, {
          userId: other.id,
          kind: 'contract.signed',
          params: {
            contractId: c.id,
            number: c.number,
            title: c.title,
            counterpartName: role === 'LAWYER' ? c.lawyerName : c.clientName,
          },
          dedupeKey: `contract-signed:${version.id}:${role}`,
        });
      }
      // audit: contract.signed
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'contract.signed',
        subjectType: 'contract',
        subjectId: c.id,
        payload: { number: c.number, role, versionId: version.id, sha256: version.pdfSha256, drawn: drawing !== null },
      });
      if (pdf) await this.execute(m, c, version, pdf, now);
    });
    return this.contracts.detail(actor, id);
  }

  /**
   * Every party signed `version`: the executed PDF (document, signature blocks, certificate
   * page with every signer event), sealed and stored. No audit write yet (see sign).
   */
  private async storeExecuted(
    m: EntityManager,
    track: TrackBlob,
    c: ContractRow,
    version: VersionRow,
    now: Date,
  ): Promise<ExecutedPdf> {
    const signatures = await this.repo.signatures(m, c.id, version.id);
    const events = await this.repo.events(m, c.id);
    const pdf = await this.docs.storeExecutedPdf(track, c, version, signatures, events, now);
    return { ...pdf, parties: signatures.length };
  }

  /**
   * With the executed PDF stored: both parties told; `contract.executed` audited with the
   * file's SHA-256, and its seq kept with the execution; the contract EXECUTED (and frozen by
   * the database from then on; the execution row comes first, the database requires it).
   */
  private async execute(m: EntityManager, c: ContractRow, version: VersionRow, pdf: ExecutedPdf, now: Date): Promise<void> {
    await this.notifications.notifyMany(
      m,
      PARTY_ROLES.map((side) => ({
        userId: side === 'LAWYER' ? c.lawyerId : c.clientId,
        kind: 'contract.executed' as const,
        params: {
          contractId: c.id,
          number: c.number,
          title: c.title,
          counterpartName: side === 'LAWYER' ? c.clientName : c.lawyerName,
          sha256: pdf.sha256,
        },
        dedupeKey: `contract-executed:${c.id}`,
      })),
    );
    // audit: contract.executed
    const entry = await this.audit.record(m, {
      actorId: null,
      actorRole: null,
      action: 'contract.executed',
      subjectType: 'contract',
      subjectId: c.id,
      payload: {
        number: c.number,
        sha256: pdf.sha256,
        size: pdf.size,
        versionId: version.id,
        versionSha256: version.pdfSha256,
        parties: pdf.parties,
        executedAt: now.toISOString(),
      },
    });
    await this.repo.insertExecution(m, {
      contractId: c.id,
      versionId: version.id,
      blobKey: pdf.key,
      sha256: pdf.sha256,
      size: pdf.size,
      sealedAt: now,
      auditSeq: entry.seq,
    });
    await this.repo.update(m, c.id, { status: 'EXECUTED', executedAt: now, updatedAt: now });
    // Each party's webhooks: the contract and the sealed PDF's fingerprint (the PDF itself is
    // fetched by the party through the API).
    await this.webhooks.emit(m, {
      type: 'contract.executed',
      occurredAt: now,
      recipients: PARTY_ROLES.map((side) => ({
        userId: side === 'LAWYER' ? c.lawyerId : c.clientId,
        data: {
          contractId: c.id,
          number: c.number,
          title: c.title,
          sessionId: c.sessionId,
          role: side,
          executedAt: now.toISOString(),
          sha256: pdf.sha256,
        },
      })),
    });
  }

  /**
   * Locks the contract for one of its parties (404 for anyone else, and for the client before
   * it was sent), checks it can be signed now, and (with a hash) that the hash is the current
   * version's (CONTRACT_VERSION_STALE otherwise).
   */
  private async lockForSigner(
    m: EntityManager,
    actor: AuthUser,
    id: string,
    versionSha256: string | null,
  ): Promise<{ c: ContractRow; role: PartyRole; version: VersionRow }> {
    const c = await this.repo.lock(m, id, { userId: actor.id });
    const role = c ? roleOf(c, actor) : null;
    if (!c || !role) throw new ContractNotFound();
    assertSignable(c, this.clock.now());
    const version = (await this.repo.version(m, c.id, c.currentVersionId!))!;
    if (versionSha256 !== null && versionSha256.toLowerCase() !== version.pdfSha256) throw new ContractVersionStale();
    return { c, role, version };
  }
}

/** The stored executed PDF of a final signature, and how many parties signed it. */
interface ExecutedPdf {
  key: string;
  sha256: string;
  size: number;
  parties: number;
}

/** What a signer agrees to by consenting (kept with the CONSENTED event). */
export const CONSENT_TEXT =
  'I agree to sign this document electronically. My electronic signature, with the time, my IP address and my browser, is recorded and has the same effect as my handwritten signature.';
