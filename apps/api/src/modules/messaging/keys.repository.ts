import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ParticipantKeys } from './messaging-rules';

/** A user's key backup as stored: the wrapped keys and how the wrapping key is derived from the recovery code. */
export interface KeyBackupRow {
  version: number;
  kdfAlg: string;
  salt: Buffer;
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  nonce: Buffer;
  ciphertext: Buffer;
}

/** A row of `e2ee_identities`. */
export interface IdentityRow {
  userId: string;
  identityKey: Buffer;
  backupKey: Buffer;
  backupKeySignature: Buffer;
  backup: KeyBackupRow;
  createdAt: Date;
}

/** A row of `e2ee_devices`. */
export interface DeviceRow {
  id: string;
  userId: string;
  identityKey: Buffer;
  x25519PublicKey: Buffer;
  ed25519PublicKey: Buffer;
  certificate: Buffer;
  label: string;
  createdAt: Date;
  revokedAt: Date | null;
}

const IDENTITY = `user_id AS "userId", identity_key AS "identityKey", backup_key AS "backupKey", backup_key_signature AS "backupKeySignature",
  backup_version AS "version", kdf_alg AS "kdfAlg", kdf_salt AS "salt", kdf_memory_kib AS "memoryKiB", kdf_iterations AS "iterations",
  kdf_parallelism AS "parallelism", backup_nonce AS "nonce", backup_ciphertext AS "ciphertext", created_at AS "createdAt"`;
const DEVICE = `id, user_id AS "userId", identity_key AS "identityKey", x25519_public_key AS "x25519PublicKey",
  ed25519_public_key AS "ed25519PublicKey", certificate, label, created_at AS "createdAt", revoked_at AS "revokedAt"`;

type RawIdentity = Omit<IdentityRow, 'backup'> & KeyBackupRow;

function toIdentity(r: RawIdentity): IdentityRow {
  const { version, kdfAlg, salt, memoryKiB, iterations, parallelism, nonce, ciphertext, ...rest } = r;
  return { ...rest, backup: { version, kdfAlg, salt, memoryKiB, iterations, parallelism, nonce, ciphertext } };
}

/** SQL of users' public keys: `e2ee_identities` and `e2ee_devices`. Always on the caller's EntityManager. */
@Injectable()
export class KeysRepository {
  async identity(m: EntityManager, userId: string, opts: { lock?: boolean } = {}): Promise<IdentityRow | null> {
    const rows: RawIdentity[] = await m.query(
      `SELECT ${IDENTITY} FROM e2ee_identities WHERE user_id = $1${opts.lock ? ' FOR UPDATE' : ''}`,
      [userId],
    );
    return rows[0] ? toIdentity(rows[0]) : null;
  }

  async identities(m: EntityManager, userIds: string[]): Promise<Map<string, IdentityRow>> {
    const rows: RawIdentity[] = await m.query(`SELECT ${IDENTITY} FROM e2ee_identities WHERE user_id = ANY($1::uuid[])`, [
      userIds,
    ]);
    return new Map(rows.map((r) => [r.userId, toIdentity(r)]));
  }

  /** A new identity; a concurrent first set-up of the same user fails on the primary key (and is retried). */
  async insertIdentity(m: EntityManager, i: IdentityRow): Promise<void> {
    await m.query(
      `INSERT INTO e2ee_identities (user_id, identity_key, backup_key, backup_key_signature, backup_version, kdf_alg, kdf_salt,
                                    kdf_memory_kib, kdf_iterations, kdf_parallelism, backup_nonce, backup_ciphertext, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      identityParams(i),
    );
  }

  /** Replaces a user's identity (a reset: new keys, new backup). */
  async replaceIdentity(m: EntityManager, i: IdentityRow): Promise<void> {
    await m.query(
      `UPDATE e2ee_identities
          SET identity_key = $2, backup_key = $3, backup_key_signature = $4, backup_version = $5, kdf_alg = $6, kdf_salt = $7,
              kdf_memory_kib = $8, kdf_iterations = $9, kdf_parallelism = $10, backup_nonce = $11, backup_ciphertext = $12, created_at = $13
        WHERE user_id = $1`,
      identityParams(i),
    );
  }

  /** Every device of these users, revoked ones included, oldest first. */
  devices(m: EntityManager, userIds: string[]): Promise<DeviceRow[]> {
    return m.query(`SELECT ${DEVICE} FROM e2ee_devices WHERE user_id = ANY($1::uuid[]) ORDER BY created_at, id`, [userIds]);
  }

  async device(m: EntityManager, id: string): Promise<DeviceRow | null> {
    const rows: DeviceRow[] = await m.query(`SELECT ${DEVICE} FROM e2ee_devices WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async activeDeviceCount(m: EntityManager, userId: string): Promise<number> {
    const rows: { n: number }[] = await m.query(
      `SELECT count(*)::int AS n FROM e2ee_devices WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId],
    );
    return rows[0]!.n;
  }

  /** Stores a device; null when the id is taken (by anyone). */
  async insertDevice(m: EntityManager, d: Omit<DeviceRow, 'revokedAt'>): Promise<DeviceRow | null> {
    const rows: DeviceRow[] = await m.query(
      `INSERT INTO e2ee_devices (id, user_id, identity_key, x25519_public_key, ed25519_public_key, certificate, label, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO NOTHING
       RETURNING ${DEVICE}`,
      [d.id, d.userId, d.identityKey, d.x25519PublicKey, d.ed25519PublicKey, d.certificate, d.label, d.createdAt],
    );
    return rows[0] ?? null;
  }

  /** Revokes one of the user's active devices; null when it is not one. */
  async revokeDevice(m: EntityManager, userId: string, deviceId: string, now: Date): Promise<DeviceRow | null> {
    const rows: [DeviceRow[], number] = await m.query(
      `UPDATE e2ee_devices SET revoked_at = GREATEST($3::timestamptz, created_at) WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING ${DEVICE}`,
      [deviceId, userId, now],
    );
    return rows[0][0] ?? null;
  }

  /** Revokes every active device of the user (an identity reset); their ids. */
  async revokeAllDevices(m: EntityManager, userId: string, now: Date): Promise<string[]> {
    const rows: [{ id: string }[], number] = await m.query(
      `UPDATE e2ee_devices SET revoked_at = GREATEST($2::timestamptz, created_at) WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`,
      [userId, now],
    );
    return rows[0].map((r) => r.id).sort();
  }

  /** For each user: whether they have an identity, and their active devices (what epochs are sealed to). */
  recipientKeys(m: EntityManager, userIds: string[]): Promise<ParticipantKeys[]> {
    return m.query(
      `SELECT u.user_id::text AS "userId",
              EXISTS (SELECT 1 FROM e2ee_identities i WHERE i.user_id = u.user_id) AS "hasIdentity",
              COALESCE((SELECT array_agg(d.id::text ORDER BY d.id) FROM e2ee_devices d WHERE d.user_id = u.user_id AND d.revoked_at IS NULL),
                       '{}'::text[]) AS "activeDeviceIds"
         FROM unnest($1::uuid[]) AS u (user_id)`,
      [userIds],
    );
  }
}

function identityParams(i: IdentityRow): unknown[] {
  const b = i.backup;
  return [
    i.userId,
    i.identityKey,
    i.backupKey,
    i.backupKeySignature,
    b.version,
    b.kdfAlg,
    b.salt,
    b.memoryKiB,
    b.iterations,
    b.parallelism,
    b.nonce,
    b.ciphertext,
    i.createdAt,
  ];
}
