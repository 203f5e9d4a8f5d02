import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ContractStatus } from './contract-rules';
import type { ContractBlock, ContractParty, PartyRole, SignatureDrawing } from './render/contract-document';

export interface ContractRow {
  id: string;
  number: string;
  sessionId: string;
  lawyerId: string;
  clientId: string;
  templateVersionId: string;
  /** The template of that version (the SPA's draft editor previews with it). */
  templateId: string;
  title: string;
  status: ContractStatus;
  currentVersionId: string | null;
  sentAt: Date | null;
  expiresAt: Date | null;
  executedAt: Date | null;
  closedAt: Date | null;
  closeReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Current display names (from identity's user_directory). */
  lawyerName: string;
  clientName: string;
}

export interface VersionRow {
  id: string;
  contractId: string;
  number: number;
  title: string;
  parties: ContractParty[];
  variables: Record<string, string>;
  content: ContractBlock[];
  pdfBlobKey: string;
  pdfSha256: string;
  pdfSize: number;
  previousSha256: string | null;
  createdAt: Date;
  createdBy: string;
}

export type SignerEventType = 'VIEWED' | 'CONSENTED' | 'SIGNED' | 'DECLINED';

export interface SignerEventRow {
  id: string;
  contractId: string;
  versionId: string;
  userId: string;
  role: PartyRole;
  type: SignerEventType;
  at: Date;
  ip: string | null;
  userAgent: string | null;
  documentSha256: string;
  detail: Record<string, unknown>;
}

export interface SignatureRow {
  id: string;
  contractId: string;
  versionId: string;
  userId: string;
  role: PartyRole;
  typedName: string;
  drawing: SignatureDrawing | null;
  documentSha256: string;
  signedAt: Date;
  ip: string | null;
  userAgent: string | null;
}

export interface ExecutionRow {
  contractId: string;
  versionId: string;
  blobKey: string;
  sha256: string;
  size: number;
  sealedAt: Date;
  auditSeq: number;
}

/** A list row: the contract and where its signing stands. */
export interface ContractListRow extends ContractRow {
  /** Roles that signed the current version. */
  signedRoles: PartyRole[];
  executedSha256: string | null;
}

/** Who may see a contract: its lawyer, its client once it was sent, or (null) anyone, for admins. */
export interface Viewer {
  userId: string | null;
}

const CONTRACT_COLUMNS = `
  c.id, c.number, c.session_id AS "sessionId", c.lawyer_id AS "lawyerId", c.client_id AS "clientId",
  c.template_version_id AS "templateVersionId",
  (SELECT tv.template_id FROM contract_template_versions tv WHERE tv.id = c.template_version_id) AS "templateId", c.title, c.status, c.current_version_id AS "currentVersionId",
  c.sent_at AS "sentAt", c.expires_at AS "expiresAt", c.executed_at AS "executedAt", c.closed_at AS "closedAt",
  c.close_reason AS "closeReason", c.created_at AS "createdAt", c.updated_at AS "updatedAt",
  lu.display_name AS "lawyerName", cu.display_name AS "clientName"`;

const CONTRACT_FROM = `
  contracts c
  JOIN user_directory lu ON lu.id = c.lawyer_id
  JOIN user_directory cu ON cu.id = c.client_id`;

/** The lawyer always; the client once the contract was sent (a draft is the lawyer's work in progress). */
const VISIBLE_TO = (p: string) =>
  `(${p}::uuid IS NULL OR c.lawyer_id = ${p}::uuid OR (c.client_id = ${p}::uuid AND c.sent_at IS NOT NULL))`;

const VERSION_COLUMNS = `
  id, contract_id AS "contractId", number, title, parties, variables, content, pdf_blob_key AS "pdfBlobKey",
  pdf_sha256 AS "pdfSha256", pdf_size::float8 AS "pdfSize", previous_sha256 AS "previousSha256",
  created_at AS "createdAt", created_by AS "createdBy"`;

const EVENT_COLUMNS = `
  id::text AS id, contract_id AS "contractId", version_id AS "versionId", user_id AS "userId", role, type, at, ip,
  user_agent AS "userAgent", document_sha256 AS "documentSha256", detail`;

const SIGNATURE_COLUMNS = `
  id, contract_id AS "contractId", version_id AS "versionId", user_id AS "userId", role, typed_name AS "typedName",
  drawing, document_sha256 AS "documentSha256", signed_at AS "signedAt", ip, user_agent AS "userAgent"`;

const EXECUTION_COLUMNS = `
  contract_id AS "contractId", version_id AS "versionId", blob_key AS "blobKey", sha256, size::float8 AS size,
  sealed_at AS "sealedAt", audit_seq::float8 AS "auditSeq"`;

/**
 * The only place that queries the contracts tables. `contract_versions`, `contract_signer_events`,
 * `contract_signatures` and `contract_executions` are append-only (no UPDATE or DELETE here);
 * `contracts` changes only through `update`, which the database's guard limits to the state
 * machine's moves until the contract is final. Names and emails come from identity's
 * `user_directory` view, jurisdictions from the lawyers module's `listed_lawyers` view.
 */
@Injectable()
export class ContractsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private q(manager: EntityManager | null): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  async nextNumber(manager: EntityManager): Promise<number> {
    const rows: { n: string }[] = await manager.query(`SELECT nextval('contract_number_seq') AS n`);
    return Number(rows[0]!.n);
  }

  /** A contract the viewer may see (null viewer id: an admin); null otherwise. */
  async find(manager: EntityManager | null, id: string, viewer: Viewer): Promise<ContractRow | null> {
    const rows: ContractRow[] = await this.q(manager).query(
      `SELECT ${CONTRACT_COLUMNS} FROM ${CONTRACT_FROM} WHERE c.id = $1 AND ${VISIBLE_TO('$2')}`,
      [id, viewer.userId],
    );
    return rows[0] ?? null;
  }

  /**
   * Locks a contract the viewer may see until the transaction ends (a row lock fires no UPDATE
   * trigger), then reads it: after waiting for another signer's transaction, the read sees what
   * that transaction committed.
   */
  async lock(manager: EntityManager, id: string, viewer: Viewer): Promise<ContractRow | null> {
    const locked: unknown[] = await manager.query(
      `SELECT 1 FROM contracts c WHERE c.id = $1 AND ${VISIBLE_TO('$2')} FOR UPDATE`,
      [id, viewer.userId],
    );
    if (locked.length === 0) return null;
    return this.find(manager, id, viewer);
  }

  /**
   * Contracts the viewer sees, most recently changed first. `view`: `to_sign` (signable now and
   * not signed by the viewer), `in_progress` (not final), `executed`.
   */
  async list(filter: {
    viewerId: string | null;
    status?: ContractStatus;
    sessionId?: string;
    view?: 'to_sign' | 'in_progress' | 'executed';
    now: Date;
    page: number;
    pageSize: number;
  }): Promise<{ items: ContractListRow[]; total: number }> {
    const params: unknown[] = [filter.viewerId, filter.status ?? null, filter.sessionId ?? null, filter.view ?? null, filter.now];
    const where = `WHERE ${VISIBLE_TO('$1')} AND ($2::text IS NULL OR c.status = $2) AND ($3::uuid IS NULL OR c.session_id = $3::uuid)
      AND ($4::text IS NULL
        OR ($4 = 'to_sign' AND $1::uuid IS NOT NULL AND c.status IN ('SENT', 'PARTIALLY_SIGNED') AND c.expires_at > $5::timestamptz
            AND NOT EXISTS (SELECT 1 FROM contract_signatures s WHERE s.version_id = c.current_version_id AND s.user_id = $1::uuid))
        OR ($4 = 'in_progress' AND c.status IN ('DRAFT', 'SENT', 'PARTIALLY_SIGNED'))
        OR ($4 = 'executed' AND c.status = 'EXECUTED'))`;
    const [items, counts] = await Promise.all([
      this.dataSource.query(
        `SELECT ${CONTRACT_COLUMNS},
                coalesce((SELECT array_agg(s.role ORDER BY s.role) FROM contract_signatures s WHERE s.version_id = c.current_version_id), '{}') AS "signedRoles",
                (SELECT e.sha256 FROM contract_executions e WHERE e.contract_id = c.id) AS "executedSha256"
           FROM ${CONTRACT_FROM} ${where}
          ORDER BY c.updated_at DESC, c.id DESC
          LIMIT $6 OFFSET $7`,
        [...params, filter.pageSize, (filter.page - 1) * filter.pageSize],
      ) as Promise<ContractListRow[]>,
      this.dataSource.query(`SELECT count(*)::int AS total FROM contracts c ${where}`, params) as Promise<{ total: number }[]>,
    ]);
    return { items, total: counts[0]?.total ?? 0 };
  }

  async insert(
    manager: EntityManager,
    c: Pick<ContractRow, 'id' | 'number' | 'sessionId' | 'lawyerId' | 'clientId' | 'templateVersionId' | 'title' | 'createdAt'>,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO contracts (id, number, session_id, lawyer_id, client_id, template_version_id, title, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'DRAFT', $8, $8)`,
      [c.id, c.number, c.sessionId, c.lawyerId, c.clientId, c.templateVersionId, c.title, c.createdAt],
    );
  }

  /** Changes a contract row (the database refuses anything but the state machine's moves). */
  async update(
    manager: EntityManager,
    id: string,
    changes: Partial<
      Pick<
        ContractRow,
        'title' | 'status' | 'currentVersionId' | 'sentAt' | 'expiresAt' | 'executedAt' | 'closedAt' | 'closeReason'
      >
    > & {
      updatedAt: Date;
    },
  ): Promise<void> {
    const columns: Record<string, string> = {
      title: 'title',
      status: 'status',
      currentVersionId: 'current_version_id',
      sentAt: 'sent_at',
      expiresAt: 'expires_at',
      executedAt: 'executed_at',
      closedAt: 'closed_at',
      closeReason: 'close_reason',
      updatedAt: 'updated_at',
    };
    const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
    const sets = entries.map(([k], i) => `${columns[k]} = $${i + 2}`);
    await manager.query(`UPDATE contracts SET ${sets.join(', ')} WHERE id = $1`, [id, ...entries.map(([, v]) => v)]);
  }

  async insertVersion(manager: EntityManager, v: VersionRow): Promise<void> {
    await manager.query(
      `INSERT INTO contract_versions (id, contract_id, number, title, parties, variables, content, pdf_blob_key, pdf_sha256, pdf_size,
                                      previous_sha256, created_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        v.id,
        v.contractId,
        v.number,
        v.title,
        JSON.stringify(v.parties),
        JSON.stringify(v.variables),
        JSON.stringify(v.content),
        v.pdfBlobKey,
        v.pdfSha256,
        v.pdfSize,
        v.previousSha256,
        v.createdAt,
        v.createdBy,
      ],
    );
  }

  async version(manager: EntityManager | null, contractId: string, versionId: string): Promise<VersionRow | null> {
    const rows: VersionRow[] = await this.q(manager).query(
      `SELECT ${VERSION_COLUMNS} FROM contract_versions WHERE id = $1 AND contract_id = $2`,
      [versionId, contractId],
    );
    return rows[0] ?? null;
  }

  /** Every version of a contract, oldest first. */
  versions(manager: EntityManager | null, contractId: string): Promise<VersionRow[]> {
    return this.q(manager).query(`SELECT ${VERSION_COLUMNS} FROM contract_versions WHERE contract_id = $1 ORDER BY number`, [
      contractId,
    ]);
  }

  /** Every signer event of a contract, in the order they happened. */
  events(manager: EntityManager | null, contractId: string): Promise<SignerEventRow[]> {
    return this.q(manager).query(`SELECT ${EVENT_COLUMNS} FROM contract_signer_events WHERE contract_id = $1 ORDER BY at, id`, [
      contractId,
    ]);
  }

  /**
   * Appends a signer event. VIEWED and SIGNED are once per party and version: a repeat inserts
   * nothing and returns false.
   */
  async insertEvent(manager: EntityManager, e: Omit<SignerEventRow, 'id'>): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO contract_signer_events (contract_id, version_id, user_id, role, type, at, ip, user_agent, document_sha256, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (version_id, role, type) WHERE type IN ('VIEWED', 'SIGNED') DO NOTHING
       RETURNING id`,
      [e.contractId, e.versionId, e.userId, e.role, e.type, e.at, e.ip, e.userAgent, e.documentSha256, JSON.stringify(e.detail)],
    );
    return rows.length > 0;
  }

  /** The signatures of one version of a contract. */
  signatures(manager: EntityManager | null, contractId: string, versionId: string): Promise<SignatureRow[]> {
    return this.q(manager).query(
      `SELECT ${SIGNATURE_COLUMNS} FROM contract_signatures WHERE contract_id = $1 AND version_id = $2 ORDER BY signed_at, role`,
      [contractId, versionId],
    );
  }

  async insertSignature(manager: EntityManager, s: Omit<SignatureRow, 'id'>): Promise<void> {
    await manager.query(
      `INSERT INTO contract_signatures (contract_id, version_id, user_id, role, typed_name, drawing, document_sha256, signed_at, ip, user_agent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        s.contractId,
        s.versionId,
        s.userId,
        s.role,
        s.typedName,
        s.drawing ? JSON.stringify(s.drawing) : null,
        s.documentSha256,
        s.signedAt,
        s.ip,
        s.userAgent,
      ],
    );
  }

  async execution(manager: EntityManager | null, contractId: string): Promise<ExecutionRow | null> {
    const rows: ExecutionRow[] = await this.q(manager).query(
      `SELECT ${EXECUTION_COLUMNS} FROM contract_executions WHERE contract_id = $1`,
      [contractId],
    );
    return rows[0] ?? null;
  }

  async insertExecution(manager: EntityManager, e: ExecutionRow): Promise<void> {
    await manager.query(
      `INSERT INTO contract_executions (contract_id, version_id, blob_key, sha256, size, sealed_at, audit_seq)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [e.contractId, e.versionId, e.blobKey, e.sha256, e.size, e.sealedAt, e.auditSeq],
    );
  }

  /** Executed contracts whose sealed PDF has this SHA-256 (public verification: no parties, no content). */
  executedBySha256(sha256: string): Promise<{ executedAt: Date; parties: number; auditSeq: number }[]> {
    return this.dataSource.query(
      `SELECT c.executed_at AS "executedAt",
              (SELECT count(DISTINCT s.role)::int FROM contract_signatures s WHERE s.version_id = e.version_id) AS parties,
              e.audit_seq::float8 AS "auditSeq"
         FROM contract_executions e
         JOIN contracts c ON c.id = e.contract_id
        WHERE e.sha256 = $1
        ORDER BY c.executed_at`,
      [sha256],
    );
  }

  /** SENT or PARTIALLY_SIGNED contracts whose signing period ended by `now`, oldest deadline first. */
  async dueForExpiry(now: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM contracts WHERE status IN ('SENT', 'PARTIALLY_SIGNED') AND expires_at <= $1 ORDER BY expires_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }

  /** A user's name, email and zone (identity's user_directory). */
  async user(manager: EntityManager, id: string): Promise<{ name: string; email: string; timeZone: string | null } | null> {
    const rows: { name: string; email: string; timeZone: string | null }[] = await manager.query(
      `SELECT display_name AS name, email, time_zone AS "timeZone" FROM user_directory WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Where a lawyer is admitted (ISO codes), from their listed profile; empty when unlisted. */
  async lawyerJurisdictions(manager: EntityManager, lawyerId: string): Promise<string[]> {
    const rows: { jurisdictions: string[] }[] = await manager.query(
      `SELECT jurisdictions FROM listed_lawyers WHERE user_id = $1`,
      [lawyerId],
    );
    return rows[0]?.jurisdictions ?? [];
  }
}
