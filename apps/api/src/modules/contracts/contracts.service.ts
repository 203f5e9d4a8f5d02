import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit';
import { SessionNotFound, SessionQueries, type SessionView } from '../consultations-core';
import { NotificationsService } from '../notifications';
import { ContractDocuments, PDF, versionPdfInput, type TrackBlob } from './contract-documents.service';
import { prefillValues, type PrefillKey } from './contract-prefill';
import {
  allowedActions,
  assertDraft,
  assertVoidable,
  contractNumber,
  ELIGIBLE_SESSION_STATUSES,
  type ContractActions,
  type ContractStatus,
} from './contract-rules';
import { ContractNotExecuted, ContractNotFound, ContractSessionNotEligible } from './contracts.errors';
import {
  ContractsRepository,
  type ContractListRow,
  type ContractRow,
  type ExecutionRow,
  type SignatureRow,
  type SignerEventRow,
  type VersionRow,
  type Viewer,
} from './contracts.repository';
import type { ContractBlock, ContractParty, PartyRole } from './render/contract-document';
import { renderBody, type TemplateVariable } from './template-engine';
import { ContractTemplatesService } from './templates.service';

/** Everything the detail page shows, for one caller. */
export interface ContractDetail {
  contract: ContractRow;
  current: VersionRow | null;
  versions: VersionRow[];
  /** Signatures of the current version. */
  signatures: SignatureRow[];
  events: SignerEventRow[];
  execution: ExecutionRow | null;
  /** The caller's side; null for an admin. */
  role: PartyRole | null;
  actions: ContractActions;
}

export interface ContractFile {
  stream: Readable;
  size: number;
  contentType: string;
  filename: string;
  sha256: string;
}

/** The SPA's tabs: to sign (the caller's signature is missing), in progress (not final), executed. */
export type ContractListView = 'to_sign' | 'in_progress' | 'executed';

export interface ContractListItem extends ContractListRow {
  role: PartyRole | null;
  awaitingYourSignature: boolean;
}

/** An admin reads every contract; anyone else only the contracts they are a party to. */
export function viewerOf(actor: AuthUser): Viewer {
  return { userId: actor.role === 'ADMIN' ? null : actor.id };
}

export function roleOf(c: Pick<ContractRow, 'lawyerId' | 'clientId'>, actor: Pick<AuthUser, 'id'>): PartyRole | null {
  return c.lawyerId === actor.id ? 'LAWYER' : c.clientId === actor.id ? 'CLIENT' : null;
}

/**
 * Contracts between a session's lawyer and client: made by the lawyer from a template for a paid
 * session, edited while a DRAFT (every save a new immutable version with its rendered PDF,
 * SHA-256 and the previous version's SHA-256), sent for signature (which freezes the version),
 * voided by the lawyer before execution. Signing is ContractSigning's. Every change is audited
 * in its transaction.
 */
@Injectable()
export class ContractsService {
  constructor(
    private readonly repo: ContractsRepository,
    private readonly templates: ContractTemplatesService,
    private readonly sessions: SessionQueries,
    private readonly docs: ContractDocuments,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** The template's variables with what the session and the profiles fill in (null: the lawyer types it). */
  async prefill(
    actor: AuthUser,
    sessionId: string,
    templateId: string,
  ): Promise<(TemplateVariable & { value: string | null })[]> {
    return this.docs.inTransaction(async (m) => {
      const session = await this.sessionOfLawyer(m, actor, sessionId);
      const version = await this.templates.usableVersion(m, actor, templateId);
      const values = await this.prefillFor(m, session);
      const known = values as Record<string, string | null>;
      // Own keys only: a declared `constructor` is not Object's.
      return version.variables.map((v) => ({ ...v, value: Object.hasOwn(known, v.name) ? (known[v.name] ?? null) : null }));
    });
  }

  /** A DRAFT with version 1, for a paid session of the lawyer, from a platform template or their own. */
  async create(
    actor: AuthUser,
    input: { sessionId: string; templateId: string; title?: string; values: Record<string, string> },
  ): Promise<ContractDetail> {
    const id = randomUUID();
    await this.docs.inTransaction(async (m, track) => {
      const session = await this.sessionOfLawyer(m, actor, input.sessionId);
      if (!(ELIGIBLE_SESSION_STATUSES as readonly string[]).includes(session.status)) throw new ContractSessionNotEligible();
      const template = await this.templates.usableVersion(m, actor, input.templateId);
      const { blocks, values } = renderBody(template.body, template.variables, input.values);
      const now = this.clock.now();
      const number = contractNumber(now, await this.repo.nextNumber(m));
      const title = input.title ?? template.name;
      await this.repo.insert(m, {
        id,
        number,
        sessionId: session.id,
        lawyerId: session.lawyerId,
        clientId: session.clientId,
        templateVersionId: template.id,
        title,
        createdAt: now,
      });
      const version = await this.saveVersion(m, track, {
        contractId: id,
        contractNumber: number,
        number: 1,
        title,
        parties: await this.partiesOf(m, session),
        values,
        blocks,
        previousSha256: null,
        createdBy: actor.id,
        at: now,
      });
      await this.repo.update(m, id, { currentVersionId: version.id, updatedAt: now });
      // audit: contract.created
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'contract.created',
        subjectType: 'contract',
        subjectId: id,
        payload: {
          number,
          sessionId: session.id,
          clientId: session.clientId,
          templateId: template.templateId,
          templateVersionId: template.id,
          versionId: version.id,
          versionNumber: 1,
          sha256: version.pdfSha256,
        },
      });
    });
    return this.detail(actor, id);
  }

  /** A new version of a DRAFT (its lawyer): the values (all of them) and optionally a new title. */
  async saveDraft(
    actor: AuthUser,
    id: string,
    input: { title?: string; values: Record<string, string> },
  ): Promise<ContractDetail> {
    await this.docs.inTransaction(async (m, track) => {
      const c = await this.lockAsLawyer(m, actor, id);
      assertDraft(c.status);
      const template = await this.templates.versionOf(m, c.templateVersionId);
      const { blocks, values } = renderBody(template.body, template.variables, input.values);
      const previous = await this.repo.version(m, c.id, c.currentVersionId!);
      const session = await this.sessions.find(c.sessionId, null, m);
      if (!previous || !session) throw new Error(`contract ${c.id} lost its version or session`);
      const now = this.clock.now();
      const title = input.title ?? c.title;
      const version = await this.saveVersion(m, track, {
        contractId: c.id,
        contractNumber: c.number,
        number: previous.number + 1,
        title,
        parties: await this.partiesOf(m, session),
        values,
        blocks,
        previousSha256: previous.pdfSha256,
        createdBy: actor.id,
        at: now,
      });
      await this.repo.update(m, c.id, { title, currentVersionId: version.id, updatedAt: now });
      // audit: contract.version_saved
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'contract.version_saved',
        subjectType: 'contract',
        subjectId: c.id,
        payload: {
          number: c.number,
          versionId: version.id,
          versionNumber: version.number,
          sha256: version.pdfSha256,
          previousSha256: previous.pdfSha256,
        },
      });
    });
    return this.detail(actor, id);
  }

  /** DRAFT → SENT (its lawyer): the current version is frozen and the client is asked to sign before the deadline. */
  async send(actor: AuthUser, id: string): Promise<ContractDetail> {
    await this.docs.inTransaction(async (m) => {
      const c = await this.lockAsLawyer(m, actor, id);
      assertDraft(c.status);
      const version = (await this.repo.version(m, c.id, c.currentVersionId!))!;
      const now = this.clock.now();
      const expiresAt = new Date(now.getTime() + this.config.CONTRACT_SIGNING_DAYS * 86_400_000);
      await this.repo.update(m, c.id, { status: 'SENT', sentAt: now, expiresAt, updatedAt: now });
      await this.notifications.notify(m, {
        userId: c.clientId,
        kind: 'contract.sign_requested',
        params: {
          contractId: c.id,
          number: c.number,
          title: c.title,
          counterpartName: c.lawyerName,
          expiresAt: expiresAt.toISOString(),
        },
        dedupeKey: `contract-sign-requested:${c.id}`,
      });
      // audit: contract.sent
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'contract.sent',
        subjectType: 'contract',
        subjectId: c.id,
        payload: {
          number: c.number,
          versionId: version.id,
          versionNumber: version.number,
          sha256: version.pdfSha256,
          expiresAt: expiresAt.toISOString(),
        },
      });
    });
    return this.detail(actor, id);
  }

  /** The lawyer withdraws a contract before it is executed (DRAFT, SENT or PARTIALLY_SIGNED → VOIDED), with a reason. */
  async void(actor: AuthUser, id: string, reason: string): Promise<ContractDetail> {
    await this.docs.inTransaction(async (m) => {
      const c = await this.lockAsLawyer(m, actor, id);
      const now = this.clock.now();
      assertVoidable(c, now);
      await this.repo.update(m, c.id, { status: 'VOIDED', closedAt: now, closeReason: reason, updatedAt: now });
      // The client only knows of a contract that was sent.
      if (c.status !== 'DRAFT')
        await this.notifications.notify(m, {
          userId: c.clientId,
          kind: 'contract.voided',
          params: { contractId: c.id, number: c.number, title: c.title, counterpartName: c.lawyerName, reason },
          dedupeKey: `contract-voided:${c.id}`,
        });
      // audit: contract.voided
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'contract.voided',
        subjectType: 'contract',
        subjectId: c.id,
        payload: { number: c.number, from: c.status, reason },
      });
    });
    return this.detail(actor, id);
  }

  async list(
    actor: AuthUser,
    filter: { status?: ContractStatus; sessionId?: string; view?: ContractListView; page: number; pageSize: number },
  ): Promise<{ items: ContractListItem[]; total: number }> {
    const viewer = viewerOf(actor);
    const { items, total } = await this.repo.list({ viewerId: viewer.userId, ...filter, now: this.clock.now() });
    return {
      items: items.map((c) => {
        const role = roleOf(c, actor);
        const signable =
          (c.status === 'SENT' || c.status === 'PARTIALLY_SIGNED') && !!c.expiresAt && c.expiresAt > this.clock.now();
        return { ...c, role, awaitingYourSignature: role !== null && signable && !c.signedRoles.includes(role) };
      }),
      total,
    };
  }

  /** The contract as the caller sees it (a party, or an admin); 404 for anyone else (and for the client, until it is sent). */
  async detail(actor: AuthUser, id: string, manager: EntityManager | null = null): Promise<ContractDetail> {
    const c = await this.repo.find(manager, id, viewerOf(actor));
    if (!c) throw new ContractNotFound();
    const versions = await this.repo.versions(manager, id);
    const events = await this.repo.events(manager, id);
    const execution = await this.repo.execution(manager, id);
    const current = versions.find((v) => v.id === c.currentVersionId) ?? null;
    const signatures = current ? await this.repo.signatures(manager, id, current.id) : [];
    const role = roleOf(c, actor);
    const actions = allowedActions(
      c,
      {
        role,
        signed: signatures.some((s) => s.role === role),
        viewed: events.some((e) => e.type === 'VIEWED' && e.role === role && e.versionId === current?.id),
      },
      this.clock.now(),
    );
    return { contract: c, current, versions, signatures, events, execution, role, actions };
  }

  /** A version's PDF (what was read and signed), for a party or an admin. */
  async versionPdf(actor: AuthUser, id: string, versionId: string): Promise<ContractFile> {
    const c = await this.repo.find(null, id, viewerOf(actor));
    const version = c ? await this.repo.version(null, id, versionId) : null;
    if (!c || !version) throw new ContractNotFound();
    const blob = await this.docs.open(version.pdfBlobKey);
    return {
      stream: blob.stream,
      size: blob.size,
      contentType: PDF,
      filename: `${c.number}-v${version.number}.pdf`,
      sha256: version.pdfSha256,
    };
  }

  /**
   * The sealed executed PDF, for a party or an admin. Every download is recorded in the audit
   * trail (contract.executed_downloaded, its own transaction) before any byte is sent.
   */
  async executedPdf(actor: AuthUser, id: string): Promise<ContractFile> {
    const c = await this.repo.find(null, id, viewerOf(actor));
    if (!c) throw new ContractNotFound();
    const execution = await this.repo.execution(null, id);
    if (!execution) throw new ContractNotExecuted();
    const blob = await this.docs.open(execution.blobKey);
    try {
      await this.docs.inTransaction(async (m) => {
        // audit: contract.executed_downloaded
        await this.audit.record(m, {
          actorId: actor.id,
          actorRole: actor.role,
          action: 'contract.executed_downloaded',
          subjectType: 'contract',
          subjectId: id,
          payload: { number: c.number, sha256: execution.sha256, as: roleOf(c, actor) ?? actor.role },
        });
      });
    } catch (e) {
      blob.stream.destroy();
      throw e;
    }
    return {
      stream: blob.stream,
      size: blob.size,
      contentType: PDF,
      filename: `${c.number}-executed.pdf`,
      sha256: execution.sha256,
    };
  }

  /** The session, if the caller is its lawyer (404 SESSION_NOT_FOUND otherwise, whoever's it is). */
  private async sessionOfLawyer(m: EntityManager, actor: AuthUser, sessionId: string): Promise<SessionView> {
    const session = await this.sessions.find(sessionId, actor.id, m);
    if (!session || session.lawyerId !== actor.id) throw new SessionNotFound();
    return session;
  }

  /** Locks a contract of the calling lawyer (404 for anyone else's). */
  private async lockAsLawyer(m: EntityManager, actor: AuthUser, id: string): Promise<ContractRow> {
    const c = await this.repo.lock(m, id, { userId: actor.id });
    if (!c || c.lawyerId !== actor.id) throw new ContractNotFound();
    return c;
  }

  private async prefillFor(m: EntityManager, session: SessionView): Promise<Record<PrefillKey, string | null>> {
    // One connection (the transaction's): one query at a time.
    const client = await this.repo.user(m, session.clientId);
    const lawyer = await this.repo.user(m, session.lawyerId);
    const jurisdictions = await this.repo.lawyerJurisdictions(m, session.lawyerId);
    return prefillValues({
      session,
      client: { name: session.clientName, email: client?.email ?? '' },
      lawyer: { name: session.lawyerName, email: lawyer?.email ?? '', timeZone: session.lawyerTimeZone, jurisdictions },
      now: this.clock.now(),
    });
  }

  /** Who the contract is between, as printed on each version: names and emails now. */
  private async partiesOf(m: EntityManager, session: Pick<SessionView, 'lawyerId' | 'clientId'>): Promise<ContractParty[]> {
    const lawyer = await this.repo.user(m, session.lawyerId);
    const client = await this.repo.user(m, session.clientId);
    return [
      { role: 'LAWYER', name: lawyer?.name ?? 'Lawyer', email: lawyer?.email ?? '' },
      { role: 'CLIENT', name: client?.name ?? 'Client', email: client?.email ?? '' },
    ];
  }

  /** Renders, stores and records one version; the stored row. */
  private async saveVersion(
    m: EntityManager,
    track: TrackBlob,
    v: {
      contractId: string;
      contractNumber: string;
      number: number;
      title: string;
      parties: ContractParty[];
      values: Record<string, string>;
      blocks: ContractBlock[];
      previousSha256: string | null;
      createdBy: string;
      at: Date;
    },
  ): Promise<VersionRow> {
    const row: Omit<VersionRow, 'pdfBlobKey' | 'pdfSha256' | 'pdfSize'> = {
      id: randomUUID(),
      contractId: v.contractId,
      number: v.number,
      title: v.title,
      parties: v.parties,
      variables: v.values,
      content: v.blocks,
      previousSha256: v.previousSha256,
      createdAt: v.at,
      createdBy: v.createdBy,
    };
    const pdf = await this.docs.storeVersionPdf(track, v.contractId, row.id, versionPdfInput(v.contractNumber, row));
    const version: VersionRow = { ...row, pdfBlobKey: pdf.key, pdfSha256: pdf.sha256, pdfSize: pdf.size };
    await this.repo.insertVersion(m, version);
    return version;
  }
}
