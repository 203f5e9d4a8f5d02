import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { chainHash, GENESIS_HASH, sanitizePayload } from './audit-chain';
import { AuditEventFilter, AuditRepository, ChainRow, type AuditSessionName, type AuditUserName } from './audit.repository';
import type { ListAuditEventsQuery } from './dto/list-audit-events.dto';

/** What a module records about a change. Never put secrets in `payload` (see sanitizePayload). */
export interface AuditEntryInput {
  /** The user who caused the change; null for the system (jobs, webhooks) or anonymous callers. */
  actorId: string | null;
  actorRole?: string | null;
  /** Dotted lowercase verb phrase, e.g. `user.registered`, `lawyer.verification.decided`. */
  action: string;
  /** Kind of object changed, e.g. `user`, `session`, `payment`. */
  subjectType: string;
  subjectId: string | null;
  /** Identifiers and facts of the change (ids, amounts, old/new status), never secrets or documents. */
  payload?: Record<string, unknown>;
  requestId?: string | null;
}

export const AUDIT_BREAK_REASONS = [
  /** An entry is missing: seq `firstBrokenSeq` should exist and does not. */
  'SEQ_GAP',
  /** Entry `firstBrokenSeq` does not link to its predecessor's hash. */
  'PREV_HASH_MISMATCH',
  /** Entry `firstBrokenSeq`'s fields no longer produce its stored hash (a field was changed). */
  'HASH_MISMATCH',
  /** The chain ends before a signed checkpoint's head: the tail was deleted from `firstBrokenSeq` on. */
  'CHECKPOINT_SEQ_MISSING',
  /** The entry at a signed checkpoint's head seq has another hash than the one signed. */
  'CHECKPOINT_HASH_MISMATCH',
  /** The checkpoint names a key this server does not sign with. */
  'UNKNOWN_KEY',
  /** The checkpoint's signature is not valid for its contents. */
  'BAD_SIGNATURE',
] as const;
export type AuditBreakReason = (typeof AUDIT_BREAK_REASONS)[number];

export interface ChainScanResult {
  ok: boolean;
  /** Entries that verified before the scan stopped. */
  checked: number;
  /** Last entry that verified (the start point when none did). */
  lastSeq: number;
  lastHash: string;
  firstBrokenSeq?: number;
  reason?: AuditBreakReason;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  headSeq: number;
  headHash: string;
  firstBrokenSeq?: number;
  reason?: AuditBreakReason;
}

export interface AuditEventPage {
  items: ChainRow[];
  total: number;
  nextCursor: number | null;
  /** Names of the actors and subjects on this page (from the owners' read views). */
  names: { users: Map<string, AuditUserName>; sessions: Map<string, AuditSessionName> };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SCAN_BATCH = 1000;
const DEFAULT_PAGE_SIZE = 50;

/**
 * The tamper-evident audit trail. `record` appends inside the caller's transaction, so an
 * entry exists if and only if the change it describes commits. Appends are serialised by a
 * transaction-scoped advisory lock, which makes `seq` gap-free: a rolled-back caller
 * releases the lock having inserted nothing, and the next caller takes the same seq.
 */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: AuditRepository,
  ) {}

  /**
   * Appends one entry in the transaction of `manager` (READ COMMITTED, PostgreSQL's default:
   * under REPEATABLE READ the head read after the lock could be stale). Returns its seq and hash.
   * The append lock is held until that transaction ends, so call this as the last step before
   * commit: audited transactions queue behind each other from here on.
   */
  async record(manager: EntityManager, entry: AuditEntryInput): Promise<{ seq: number; hash: string }> {
    if (!manager.queryRunner?.isTransactionActive) throw new Error('AuditService.record: manager is not inside a transaction');
    const fields = normaliseEntry(entry);
    await this.repo.lockAppends(manager);
    const { head, now } = await this.repo.headForAppend(manager);
    const prevHash = head?.hash ?? GENESIS_HASH;
    const row = { ...fields, seq: (head?.seq ?? 0) + 1, occurredAt: now };
    const hash = chainHash(prevHash, row);
    await this.repo.insert(manager, { ...row, prevHash, hash });
    return { seq: row.seq, hash };
  }

  /**
   * Recomputes the whole chain from a consistent snapshot, in batches, and checks it against
   * the latest stored checkpoint (a deleted tail shows up there). Names the first broken seq.
   */
  async verify(): Promise<ChainVerification> {
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const head = (await this.repo.head(m)) ?? { seq: 0, hash: GENESIS_HASH };
      const scan = await this.scanChain(m);
      const result = { checked: scan.checked, headSeq: head.seq, headHash: head.hash };
      if (!scan.ok) return { ...result, ok: false, firstBrokenSeq: scan.firstBrokenSeq, reason: scan.reason };
      const checkpoint = await this.repo.latestCheckpoint(m);
      if (checkpoint) {
        const mismatch = await this.checkpointMismatch(m, checkpoint.headSeq, checkpoint.headHash);
        if (mismatch) return { ...result, ok: false, ...mismatch };
      }
      return { ...result, ok: true };
    });
  }

  /**
   * Whether the chain (already verified up to the seq) still holds `headHash` at `headSeq`;
   * returns the failure, or null when it matches.
   */
  async checkpointMismatch(
    m: EntityManager,
    headSeq: number,
    headHash: string,
  ): Promise<{ firstBrokenSeq: number; reason: AuditBreakReason } | null> {
    if (headSeq === 0) return headHash === GENESIS_HASH ? null : { firstBrokenSeq: 1, reason: 'CHECKPOINT_HASH_MISMATCH' };
    const hash = await this.repo.hashAt(m, headSeq);
    if (hash === null) {
      const head = await this.repo.head(m);
      return { firstBrokenSeq: Math.min((head?.seq ?? 0) + 1, headSeq), reason: 'CHECKPOINT_SEQ_MISSING' };
    }
    return hash === headHash ? null : { firstBrokenSeq: headSeq, reason: 'CHECKPOINT_HASH_MISMATCH' };
  }

  /**
   * Walks entries after `after` (default: genesis) up to `uptoSeq` (default: the end), in
   * seq order and batches of SCAN_BATCH, recomputing every hash. Stops at the first break.
   */
  async scanChain(
    m: EntityManager,
    opts: { after?: { seq: number; hash: string }; uptoSeq?: number } = {},
  ): Promise<ChainScanResult> {
    let expectedSeq = (opts.after?.seq ?? 0) + 1;
    let prevHash = opts.after?.hash ?? GENESIS_HASH;
    let checked = 0;
    const broken = (seq: number, reason: AuditBreakReason): ChainScanResult => ({
      ok: false,
      checked,
      lastSeq: expectedSeq - 1,
      lastHash: prevHash,
      firstBrokenSeq: seq,
      reason,
    });
    for (;;) {
      const batch = await this.repo.chainBatch(m, expectedSeq - 1, SCAN_BATCH, opts.uptoSeq);
      for (const row of batch) {
        if (row.seq !== expectedSeq) return broken(expectedSeq, 'SEQ_GAP');
        if (row.prevHash !== prevHash) return broken(row.seq, 'PREV_HASH_MISMATCH');
        if (chainHash(row.prevHash, row) !== row.hash) return broken(row.seq, 'HASH_MISMATCH');
        checked += 1;
        prevHash = row.hash;
        expectedSeq += 1;
      }
      if (batch.length < SCAN_BATCH) return { ok: true, checked, lastSeq: expectedSeq - 1, lastHash: prevHash };
    }
  }

  /** Entries newest first, filtered, with a seq cursor (`nextCursor` → `before` of the next page). */
  async list(query: ListAuditEventsQuery): Promise<AuditEventPage> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const filter: AuditEventFilter = {
      action: query.action,
      actorId: query.actorId,
      actor: query.actor?.trim() || undefined,
      subjectType: query.subjectType,
      subjectId: query.subjectId,
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
    };
    const { items, total } = await this.repo.list(this.dataSource.manager, filter, { beforeSeq: query.before, limit });
    const last = items[items.length - 1];
    const names = await this.repo.namesFor(this.dataSource.manager, items);
    return { items, total, nextCursor: items.length === limit && last ? last.seq : null, names };
  }
}

function normaliseEntry(entry: AuditEntryInput): Omit<ChainRow, 'seq' | 'occurredAt' | 'prevHash' | 'hash'> {
  if (entry.actorId !== null && !UUID.test(entry.actorId))
    throw new TypeError('AuditService.record: actorId must be a UUID or null');
  if (!entry.action || entry.action.length > 200) throw new TypeError('AuditService.record: action must be 1-200 characters');
  if (!entry.subjectType || entry.subjectType.length > 100)
    throw new TypeError('AuditService.record: subjectType must be 1-100 characters');
  return {
    // PostgreSQL returns UUIDs in lowercase; hash what will be read back.
    actorId: entry.actorId?.toLowerCase() ?? null,
    actorRole: entry.actorRole ?? null,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    payload: sanitizePayload(entry.payload),
    requestId: entry.requestId ?? null,
  };
}
