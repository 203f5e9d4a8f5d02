/** A recording in the platform's custody. */
export interface RecordingProof {
  kind: 'recording';
  recordedAt: Date | null;
  durationSeconds: number | null;
  auditSeq: number | null;
}

/** An executed contract's sealed PDF: when it was executed, how many parties signed, its audit seq. */
export interface ContractProof {
  kind: 'contract';
  executedAt: Date;
  parties: number;
  auditSeq: number;
}

/** One thing the platform holds under a hash, as the public may see it (no parties' names, no ids, no content). */
export type Proof = RecordingProof | ContractProof;

/** A module that can say whether it holds a file with a given SHA-256 (recordings, executed contracts). */
export interface ProofSource {
  findBySha256(sha256: string): Promise<Proof[]>;
}

/** The proof sources the verify endpoint asks, in order (bound in VerifyModule). */
export class ProofSources {
  constructor(readonly all: readonly ProofSource[]) {}
}
