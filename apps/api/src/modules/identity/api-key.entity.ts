import type { ApiScope } from '@lm/domain';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A long-lived credential for integrations; acts with its owner's role, limited to its scopes. */
@Entity({ name: 'api_keys' })
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  name: string;

  /** `lmk_` + 8 hex characters: the public part of the key, shown in lists. */
  @Column({ type: 'text' })
  prefix: string;

  /** SHA-256 of the whole key (high-entropy, so a fast hash is enough). */
  @Column({ name: 'key_hash', type: 'bytea' })
  keyHash: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** What the key may do (see SCOPES_BY_ROLE); only those its owner's current role allows count. */
  @Column({ type: 'text', array: true })
  scopes: ApiScope[];

  /** After this instant the key is refused (401), like a revoked one; null = no expiry. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  /** Requests per minute this key may make (its own bucket, on top of the per-address limit). */
  @Column({ name: 'rate_limit_per_minute', type: 'integer' })
  rateLimitPerMinute: number;
}
