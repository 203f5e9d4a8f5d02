import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { isRetryableDbError, isUniqueViolation } from '../../common/database/transaction-retry';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit';
import { JobsService } from '../jobs';
import { NotificationsService } from '../notifications';
import { BlobStore } from '../storage';
import { statementCsv } from './render/statement-csv';
import type { StatementDocument, StatementLine } from './render/statement-document';
import { statementPdf } from './render/statement-pdf';
import {
  dueMonths,
  lastClosedMonth,
  monthEnd,
  monthOf,
  nextMonth,
  roleOfAccount,
  statementNumber,
  zoneOrUtc,
  type MonthStart,
} from './statement-periods';
import { StatementAlreadySuperseded, StatementNotFound } from './statements.errors';
import { StatementsRepository, type PayableKey, type StatementRow } from './statements.repository';

export const STATEMENTS_ISSUE_QUEUE = 'statements.issue';

export type StatementFormat = 'csv' | 'pdf';

export interface StatementFile {
  stream: Readable;
  size: number;
  contentType: string;
  filename: string;
  sha256: string;
}

const CONTENT_TYPE: Record<StatementFormat, string> = { csv: 'text/csv; charset=utf-8', pdf: 'application/pdf' };

interface IssueRequest {
  payable: PayableKey;
  periodStart: MonthStart;
  zone: string;
  /** Who caused it: the admin who re-issued or ran the job now; null for the scheduled job. */
  actor: AuthUser | null;
  supersedes: { statement: StatementRow; reason: string } | null;
}

/**
 * Monthly statements of partners and lawyers. An hourly job issues, for every payable with
 * ledger activity, each month that has closed in the payee's zone and has no statement yet
 * (when it has ledger lines or money was owed at its start). A statement is immutable: the
 * database refuses changes, and a correction is a new statement (new number) that supersedes
 * it. Issuing renders the CSV and the PDF, stores both in the blob store, and records the
 * statement, its lines, the payee's notification and the audit entry (with both files'
 * SHA-256) in one transaction. The ledger is read only through its views.
 */
@Injectable()
export class StatementsService implements OnModuleInit {
  private readonly logger = new Logger(StatementsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: StatementsRepository,
    private readonly blobs: BlobStore,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // Hourly, because months close at midnight in every payee's own zone.
    this.jobs.register(
      { name: STATEMENTS_ISSUE_QUEUE, retryLimit: 1, retryDelay: 300, expireInSeconds: 3300 },
      async () => void (await this.issueDue(null)),
      { cron: { expression: '7 * * * *' } },
    );
  }

  /**
   * Issues every statement that is due now; returns how many it issued. Safe to run twice or
   * concurrently (per-payable lock + a unique index): a due month gets one statement. Months of
   * one payable are issued in order; a failure stops that payable until the next run.
   */
  async issueDue(actor: AuthUser | null): Promise<number> {
    const now = this.clock.now();
    let issued = 0;
    for (const p of await this.repo.payables()) {
      const zone = zoneOrUtc(p.timeZone);
      const lastClosed = lastClosedMonth(now, zone);
      const from = p.lastPeriod ? nextMonth(p.lastPeriod) : monthOf(p.firstDay);
      if (from > lastClosed) continue;
      const activity = await this.repo.monthlyActivity(p);
      const openingBefore = -activity.filter((a) => a.month < from).reduce((sum, a) => sum + a.netMinor, 0);
      for (const month of dueMonths(activity, from, lastClosed, openingBefore)) {
        try {
          if (await this.issue({ payable: p, periodStart: month, zone, actor, supersedes: null })) issued++;
        } catch (e) {
          this.logger.error({ err: e }, `Could not issue the ${month} statement of ${p.payeeId} (${p.account}, ${p.currency})`);
          break;
        }
      }
    }
    if (issued > 0) this.logger.log(`Issued ${issued} statement(s)`);
    return issued;
  }

  /**
   * A corrected statement for the same payable and month, recomputed from the ledger now, with
   * a new number; it supersedes `id`, which stays as it was. A statement is superseded once
   * (409 STATEMENT_ALREADY_SUPERSEDED): re-issue the newest one instead.
   */
  async reissue(actor: AuthUser, id: string, reason: string): Promise<StatementRow> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.reissueOnce(actor, id, reason);
      } catch (e) {
        // A deadlock or serialization failure: run it again (the re-run sees the winner's rows).
        if (attempt < 3 && isRetryableDbError(e) && !isUniqueViolation(e)) continue;
        throw e;
      }
    }
  }

  private async reissueOnce(actor: AuthUser, id: string, reason: string): Promise<StatementRow> {
    try {
      const newId = await this.inTransaction(async (m, track) => {
        const old = await this.repo.lockStatement(m, id);
        if (!old) throw new StatementNotFound();
        if (old.supersededById) throw new StatementAlreadySuperseded();
        const payable = { payeeId: old.payeeId, account: old.account, currency: old.currency };
        return this.issueIn(m, track, {
          payable,
          periodStart: old.periodStart,
          zone: old.zone,
          actor,
          supersedes: { statement: old, reason },
        });
      });
      return (await this.repo.find(null, newId!))!;
    } catch (e) {
      // Two re-issues at once: the second fails on uq_statements_supersedes.
      if (isUniqueViolation(e)) throw new StatementAlreadySuperseded();
      throw e;
    }
  }

  /** The caller's statements (a payee), or anyone's (an admin, optionally of one payee). */
  list(filter: { payeeId?: string; page: number; pageSize: number }) {
    return this.repo.list(filter);
  }

  /** A statement's CSV or PDF, for its payee or an admin (404 for anyone else). */
  async open(actor: AuthUser, id: string, format: StatementFormat): Promise<StatementFile> {
    const s = await this.repo.find(null, id, actor.role === 'ADMIN' ? undefined : actor.id);
    if (!s) throw new StatementNotFound();
    const key = format === 'csv' ? s.csvKey : s.pdfKey;
    const blob = await this.blobs.get(key);
    return {
      stream: blob.stream,
      size: blob.size,
      contentType: CONTENT_TYPE[format],
      filename: `${s.number}.${format}`,
      sha256: format === 'csv' ? s.csvSha256 : s.pdfSha256,
    };
  }

  /** One original statement of the job; false when it already exists. */
  private async issue(req: IssueRequest): Promise<boolean> {
    const id = await this.inTransaction(async (m, track) => {
      await this.repo.lockPayable(m, req.payable);
      if (await this.repo.hasOriginal(m, req.payable, req.periodStart)) return null;
      return this.issueIn(m, track, req);
    });
    return id !== null;
  }

  /**
   * Runs `work` in a transaction; blobs it stored (`track`) are removed again if the
   * transaction does not commit, so a failed issue leaves no orphan files.
   */
  private async inTransaction<T>(work: (m: EntityManager, track: (key: string) => void) => Promise<T>): Promise<T> {
    const stored: string[] = [];
    try {
      return await this.dataSource.transaction((m) => work(m, (key) => stored.push(key)));
    } catch (e) {
      await Promise.all(stored.map((key) => this.blobs.delete(key).catch(() => undefined)));
      throw e;
    }
  }

  /** Computes, renders, stores and records one statement inside `m`; returns its id. */
  private async issueIn(m: EntityManager, track: (key: string) => void, req: IssueRequest): Promise<string> {
    const { payable, periodStart, zone, actor, supersedes } = req;
    const periodEnd = monthEnd(periodStart);
    const number = statementNumber(periodStart, await this.repo.nextNumber(m));
    const { openingMinor, lines: raw } = await this.repo.period(m, payable, periodStart, periodEnd);
    let balance = openingMinor;
    const lines: StatementLine[] = raw.map((l, i) => ({ ...l, lineNo: i + 1, balanceMinor: (balance += l.amountMinor) }));
    const payee = await this.repo.payee(m, payable.payeeId);
    const issuedAt = this.clock.now();
    const doc: StatementDocument = {
      number,
      payeeId: payable.payeeId,
      payeeName: payee?.displayName ?? payable.payeeId,
      payeeRole: roleOfAccount(payable.account),
      account: payable.account,
      currency: payable.currency,
      periodStart,
      periodEnd,
      zone,
      openingMinor,
      closingMinor: balance,
      issuedAt,
      lines,
      supersedes: supersedes ? { number: supersedes.statement.number, reason: supersedes.reason } : null,
    };

    const id = randomUUID();
    const csvKey = `statements/${id}/${number}.csv`;
    const pdfKey = `statements/${id}/${number}.pdf`;
    track(csvKey);
    const csv = await this.blobs.put(csvKey, statementCsv(doc), { contentType: CONTENT_TYPE.csv });
    track(pdfKey);
    const pdf = await this.blobs.put(pdfKey, statementPdf(doc), { contentType: CONTENT_TYPE.pdf });

    await this.repo.insert(
      m,
      {
        id,
        number,
        payeeId: doc.payeeId,
        payeeRole: doc.payeeRole,
        account: doc.account,
        currency: doc.currency,
        periodStart,
        periodEnd,
        zone,
        openingMinor,
        closingMinor: doc.closingMinor,
        lineCount: lines.length,
        csvKey,
        csvSha256: csv.sha256,
        csvBytes: csv.size,
        pdfKey,
        pdfSha256: pdf.sha256,
        pdfBytes: pdf.size,
        supersedesId: supersedes?.statement.id ?? null,
        reissueReason: supersedes?.reason ?? null,
        issuedBy: supersedes ? actor!.id : null,
        issuedAt,
      },
      lines,
    );
    await this.notifications.notify(m, {
      userId: doc.payeeId,
      kind: 'statement.issued',
      params: {
        statementId: id,
        number,
        role: doc.payeeRole,
        periodStart,
        currency: doc.currency,
        closingMinor: doc.closingMinor,
      },
      dedupeKey: `statement:${id}`,
    });
    // Last: the audit append lock is held until commit.
    await this.audit.record(m, {
      actorId: actor?.id ?? null,
      actorRole: actor?.role ?? null,
      action: supersedes ? 'statement.reissued' : 'statement.issued',
      subjectType: 'statement',
      subjectId: id,
      payload: {
        number,
        payeeId: doc.payeeId,
        payeeRole: doc.payeeRole,
        account: doc.account,
        currency: doc.currency,
        periodStart,
        periodEnd,
        openingMinor,
        closingMinor: doc.closingMinor,
        lineCount: lines.length,
        csvSha256: csv.sha256,
        pdfSha256: pdf.sha256,
        ...(supersedes
          ? { supersedesId: supersedes.statement.id, supersedesNumber: supersedes.statement.number, reason: supersedes.reason }
          : {}),
      },
    });
    return id;
  }
}
