/** One thing the platform holds under a hash, as the public may see it (no parties, no ids). */
export interface Proof {
  kind: 'recording';
  recordedAt: Date | null;
  durationSeconds: number | null;
  auditSeq: number | null;
}

/** A module that can say whether it holds a file with a given SHA-256 (recordings now; contracts later). */
export interface ProofSource {
  findBySha256(sha256: string): Promise<Proof[]>;
}

/** The proof sources the verify endpoint asks, in order (bound in VerifyModule). */
export class ProofSources {
  constructor(readonly all: readonly ProofSource[]) {}
}
