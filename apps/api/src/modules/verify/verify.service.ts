import { Injectable } from '@nestjs/common';
import { ProofSources, type Proof } from './proof-sources';
import { VerifyHashInvalid } from './verify.errors';

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * Public verification by hash: whoever holds a copy of a file (a recording, an executed
 * contract's sealed PDF) hashes it and asks whether the platform holds the same bytes, when they were
 * recorded and which audit entry chained them. Nothing about the parties is revealed.
 */
@Injectable()
export class VerifyService {
  constructor(private readonly sources: ProofSources) {}

  async verify(sha256Param: string): Promise<{ sha256: string; matches: Proof[] }> {
    if (!SHA256_HEX.test(sha256Param)) throw new VerifyHashInvalid();
    const sha256 = sha256Param.toLowerCase();
    const found = await Promise.all(this.sources.all.map((s) => s.findBySha256(sha256)));
    return { sha256, matches: found.flat() };
  }
}
