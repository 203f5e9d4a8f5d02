import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { JobsService } from '../jobs';
import { GENESIS_HASH } from './audit-chain';
import { checkpointMessage, CheckpointStatement } from './audit-checkpoint-message';
import { AuditCheckpoint } from './audit-checkpoint.entity';
import { AuditChainBroken, AuditCheckpointNotFound } from './audit.errors';
import { AuditRepository } from './audit.repository';
import { AuditBreakReason, AuditService } from './audit.service';
import { AuditSigner } from './audit-signer';

export const AUDIT_CHECKPOINT_QUEUE = 'audit-checkpoint';
export const AUDIT_CHECKPOINT_CRON = '*/15 * * * *';

/** A checkpoint as exported and re-verified: the statement plus its signature. */
export interface SignedCheckpoint extends CheckpointStatement {
  signature: string;
}

export interface CheckpointVerification {
  ok: boolean;
  signatureValid: boolean;
  /** Entries verified up to the checkpoint's seq. */
  checked: number;
  /** Today's head seq. */
  headSeq: number;
  firstBrokenSeq?: number;
  reason?: AuditBreakReason;
}

/**
 * Ed25519-signed checkpoints of the chain head: every 15 minutes (pg-boss cron, only when the
 * head moved) and on demand. A checkpoint is signed only after the chain up to the head
 * verifies, incrementally from the previous checkpoint whose signature still checks out.
 * Exported checkpoints can be re-verified against today's chain (rewriting or truncation).
 */
@Injectable()
export class AuditCheckpointsService implements OnModuleInit {
  private readonly logger = new Logger(AuditCheckpointsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: AuditRepository,
    private readonly audit: AuditService,
    private readonly signer: AuditSigner,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ name: AUDIT_CHECKPOINT_QUEUE }, () => this.runPeriodic(), {
      cron: { expression: AUDIT_CHECKPOINT_CRON },
    });
  }

  /** Signs the current head (refuses with AUDIT_CHAIN_BROKEN if the chain does not verify). */
  async create(): Promise<SignedCheckpoint> {
    const checkpoint = await this.sign({ onlyIfHeadMoved: false });
    return toSigned(checkpoint!);
  }

  async latest(): Promise<SignedCheckpoint> {
    const checkpoint = await this.repo.latestCheckpoint(this.dataSource.manager);
    if (!checkpoint) throw new AuditCheckpointNotFound();
    return toSigned(checkpoint);
  }

  publicKey(): { keyId: string; algorithm: 'Ed25519'; publicKeyPem: string } {
    return { keyId: this.signer.keyId, algorithm: 'Ed25519', publicKeyPem: this.signer.publicKeyPem };
  }

  /**
   * Checks an exported checkpoint: the signature first (so only genuine checkpoints cost a
   * chain scan), then that today's chain is intact up to its seq and still has its hash there.
   */
  async verifyExported(input: SignedCheckpoint): Promise<CheckpointVerification> {
    const signatureValid = input.keyId === this.signer.keyId && this.signer.verify(checkpointMessage(input), input.signature);
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const headSeq = (await this.repo.head(m))?.seq ?? 0;
      if (!signatureValid) {
        return {
          ok: false,
          signatureValid,
          checked: 0,
          headSeq,
          reason: input.keyId === this.signer.keyId ? 'BAD_SIGNATURE' : 'UNKNOWN_KEY',
        };
      }
      const scan = await this.audit.scanChain(m, { uptoSeq: input.headSeq });
      if (!scan.ok)
        return {
          ok: false,
          signatureValid,
          checked: scan.checked,
          headSeq,
          firstBrokenSeq: scan.firstBrokenSeq,
          reason: scan.reason,
        };
      const mismatch = await this.audit.checkpointMismatch(m, input.headSeq, input.headHash);
      if (mismatch) return { ok: false, signatureValid, checked: scan.checked, headSeq, ...mismatch };
      return { ok: true, signatureValid, checked: scan.checked, headSeq };
    });
  }

  private async runPeriodic(): Promise<void> {
    try {
      const checkpoint = await this.sign({ onlyIfHeadMoved: true });
      if (checkpoint) this.logger.log(`Audit checkpoint signed at seq ${checkpoint.headSeq}`);
    } catch (e) {
      if (!(e instanceof AuditChainBroken)) throw e;
      // Not retried: the next run in 15 minutes checks again; this needs a person now.
      this.logger.error({ details: e.details }, 'Audit chain does not verify; no checkpoint signed');
    }
  }

  private async sign({ onlyIfHeadMoved }: { onlyIfHeadMoved: boolean }): Promise<AuditCheckpoint | null> {
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const head = (await this.repo.head(m)) ?? { seq: 0, hash: GENESIS_HASH };
      const previous = await this.repo.latestCheckpoint(m);
      if (
        onlyIfHeadMoved &&
        previous &&
        previous.headSeq === head.seq &&
        previous.headHash === head.hash &&
        previous.keyId === this.signer.keyId
      ) {
        return null;
      }
      await this.assertChainVerifies(m, previous);
      const statement: CheckpointStatement = {
        headSeq: head.seq,
        headHash: head.hash,
        signedAt: this.clock.now().toISOString(),
        keyId: this.signer.keyId,
      };
      return this.repo.insertCheckpoint(m, {
        headSeq: statement.headSeq,
        headHash: statement.headHash,
        signedAt: new Date(statement.signedAt),
        keyId: statement.keyId,
        signature: this.signer.sign(checkpointMessage(statement)),
        publicKey: this.signer.publicKeyPem,
      });
    });
  }

  /** Verifies the chain, starting after the previous checkpoint when its signature is ours and valid. */
  private async assertChainVerifies(m: EntityManager, previous: AuditCheckpoint | null): Promise<void> {
    let after: { seq: number; hash: string } | undefined;
    if (previous) {
      const mismatch = await this.audit.checkpointMismatch(m, previous.headSeq, previous.headHash);
      if (mismatch) throw new AuditChainBroken(undefined, mismatch);
      const trusted =
        previous.keyId === this.signer.keyId && this.signer.verify(checkpointMessage(toSigned(previous)), previous.signature);
      if (trusted) after = { seq: previous.headSeq, hash: previous.headHash };
    }
    const scan = await this.audit.scanChain(m, { after });
    if (!scan.ok) throw new AuditChainBroken(undefined, { firstBrokenSeq: scan.firstBrokenSeq, reason: scan.reason });
  }
}

function toSigned(c: AuditCheckpoint): SignedCheckpoint {
  return { headSeq: c.headSeq, headHash: c.headHash, signedAt: c.signedAt.toISOString(), keyId: c.keyId, signature: c.signature };
}
