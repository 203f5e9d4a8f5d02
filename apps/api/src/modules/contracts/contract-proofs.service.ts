import { Injectable } from '@nestjs/common';
import { ContractsRepository } from './contracts.repository';

/** What the platform holds under a SHA-256, without saying whose it is or what it says. */
export interface ContractProof {
  kind: 'contract';
  executedAt: Date;
  /** How many parties signed it. */
  parties: number;
  /** Seq of the `contract.executed` audit entry that chained this hash. */
  auditSeq: number;
}

/**
 * The contracts module's answer to "do you hold a file with this hash?" (GET /api/verify/{sha256}):
 * an executed contract's sealed PDF, when it was executed, how many parties signed and which
 * audit entry chained it — never the parties, the number, the title or any content. Only the
 * exact bytes of the sealed file match: a copy changed by one byte is not found.
 */
@Injectable()
export class ContractProofs {
  constructor(private readonly repo: ContractsRepository) {}

  async findBySha256(sha256: string): Promise<ContractProof[]> {
    const found = await this.repo.executedBySha256(sha256);
    return found.map((r) => ({ kind: 'contract', executedAt: new Date(r.executedAt), parties: r.parties, auditSeq: r.auditSeq }));
  }
}
