import { canonicalJson } from '../../common/json/canonical-json';

/** What a checkpoint states, and what can be exported and re-verified later. */
export interface CheckpointStatement {
  /** The chain's head seq when signed (0 for an empty chain). */
  headSeq: number;
  /** The head entry's hash (GENESIS_HASH for an empty chain). */
  headHash: string;
  /** ISO-8601 UTC instant with milliseconds, exactly as signed. */
  signedAt: string;
  /** Identifies the Ed25519 public key (first 16 hex chars of SHA-256 of its SPKI DER). */
  keyId: string;
}

export const CHECKPOINT_MESSAGE_TYPE = 'lexmarket.audit.checkpoint.v1';

/**
 * The exact bytes an Ed25519 checkpoint signature covers: UTF-8 of the RFC 8785 canonical
 * JSON of `{ type, headSeq, headHash, signedAt, keyId }`, e.g.
 * `{"headHash":"…","headSeq":42,"keyId":"…","signedAt":"2025-11-26T09:15:00.000Z","type":"lexmarket.audit.checkpoint.v1"}`.
 * Anyone holding the public key can check an exported checkpoint with this definition.
 */
export function checkpointMessage(statement: CheckpointStatement): Buffer {
  return Buffer.from(
    canonicalJson({
      type: CHECKPOINT_MESSAGE_TYPE,
      headSeq: statement.headSeq,
      headHash: statement.headHash,
      signedAt: statement.signedAt,
      keyId: statement.keyId,
    }),
    'utf8',
  );
}
