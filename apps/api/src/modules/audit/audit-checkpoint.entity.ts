import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintToNumber } from './audit-event.entity';

/** An Ed25519-signed statement of the chain head (table `audit_checkpoints`, append-only). */
@Entity({ name: 'audit_checkpoints' })
export class AuditCheckpoint {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'head_seq', type: 'bigint', transformer: bigintToNumber })
  headSeq: number;

  @Column({ name: 'head_hash', type: 'text' })
  headHash: string;

  /** Millisecond precision: the value signed is `signedAt.toISOString()`. */
  @Column({ name: 'signed_at', type: 'timestamptz' })
  signedAt: Date;

  @Column({ name: 'key_id', type: 'text' })
  keyId: string;

  /** Base64 Ed25519 signature over checkpointMessage(...). */
  @Column({ type: 'text' })
  signature: string;

  /** SPKI PEM of the signing key, so old checkpoints stay checkable after a key rotation. */
  @Column({ name: 'public_key', type: 'text' })
  publicKey: string;
}
