import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit';
import { JobsService } from '../jobs';
import { NotificationsService } from '../notifications';
import { ContractDocuments } from './contract-documents.service';
import { PARTY_ROLES, SIGNABLE } from './contract-rules';
import { ContractsRepository } from './contracts.repository';

/** Every five minutes: contracts whose signing period (CONTRACT_SIGNING_DAYS from sending) ended become EXPIRED. */
export const CONTRACTS_EXPIRE_QUEUE = 'contracts.expire';
const BATCH = 100;

export const EXPIRED_REASON = 'The signing period ended before every party signed';

/**
 * Expiry of contracts sent for signature: a cron job on pg-boss closes every SENT or
 * PARTIALLY_SIGNED contract past its deadline (business time from the Clock), each in its own
 * transaction with the contract locked, so a signature that commits first wins and the contract
 * is not expired under it. Until the job runs, signing is refused by the deadline alone.
 */
@Injectable()
export class ContractExpiry implements OnModuleInit {
  private readonly logger = new Logger(ContractExpiry.name);

  constructor(
    private readonly repo: ContractsRepository,
    private readonly docs: ContractDocuments,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ name: CONTRACTS_EXPIRE_QUEUE, retryLimit: 0 }, async () => void (await this.expireDue()), {
      cron: { expression: '*/5 * * * *' },
    });
  }

  /** Expires every contract past its signing deadline now; how many it expired. */
  async expireDue(): Promise<number> {
    let expired = 0;
    for (const id of await this.repo.dueForExpiry(this.clock.now(), BATCH)) {
      try {
        if (await this.expire(id)) expired++;
      } catch (e) {
        this.logger.error(`Expiring contract ${id} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (expired > 0) this.logger.log(`Expired ${expired} contract(s)`);
    return expired;
  }

  private expire(id: string): Promise<boolean> {
    return this.docs.inTransaction(async (m) => {
      const c = await this.repo.lock(m, id, { userId: null });
      const now = this.clock.now();
      if (!c || !SIGNABLE.includes(c.status) || !c.expiresAt || c.expiresAt.getTime() > now.getTime()) return false;
      await this.repo.update(m, id, { status: 'EXPIRED', closedAt: now, closeReason: EXPIRED_REASON, updatedAt: now });
      await this.notifications.notifyMany(
        m,
        PARTY_ROLES.map((side) => ({
          userId: side === 'LAWYER' ? c.lawyerId : c.clientId,
          kind: 'contract.expired' as const,
          params: {
            contractId: c.id,
            number: c.number,
            title: c.title,
            counterpartName: side === 'LAWYER' ? c.clientName : c.lawyerName,
          },
          dedupeKey: `contract-expired:${c.id}`,
        })),
      );
      // audit: contract.expired
      await this.audit.record(m, {
        actorId: null,
        actorRole: null,
        action: 'contract.expired',
        subjectType: 'contract',
        subjectId: id,
        payload: { number: c.number, from: c.status, expiresAt: c.expiresAt.toISOString() },
      });
      return true;
    });
  }
}
