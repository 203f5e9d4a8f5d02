import { ApiProperty } from '@nestjs/swagger';
import { toB64 } from '../e2ee-wire';
import type { DeviceRow, IdentityRow, KeyBackupRow } from '../keys.repository';

const b64 = (description: string) => ({ type: String, pattern: '^[A-Za-z0-9_-]*$', description });

export class IdentityResponse {
  @ApiProperty(b64('Ed25519 identity public key (raw, 32 bytes)'))
  identityKey: string;
  @ApiProperty(b64('X25519 backup public key (raw, 32 bytes)'))
  backupKey: string;
  @ApiProperty(b64('The identity key’s signature of the backup key (64 bytes)'))
  backupKeySignature: string;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class DeviceResponse {
  @ApiProperty({ format: 'uuid' })
  deviceId: string;
  @ApiProperty({ format: 'uuid' })
  userId: string;
  @ApiProperty(b64('The identity key that certified this device, as it was when the device was registered'))
  identityKey: string;
  @ApiProperty(b64('X25519 public key (32 bytes)'))
  x25519PublicKey: string;
  @ApiProperty(b64('Ed25519 public key (32 bytes)'))
  ed25519PublicKey: string;
  @ApiProperty(b64('The identity key’s signature of the device (64 bytes)'))
  certificate: string;
  @ApiProperty({ example: 'Firefox on my laptop' })
  label: string;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt: string | null;
}

export class UserKeysResponse {
  @ApiProperty({ format: 'uuid' })
  userId: string;
  @ApiProperty({ type: IdentityResponse, nullable: true, description: 'Null until the user sets up encryption' })
  identity: IdentityResponse | null;
  @ApiProperty({ type: [DeviceResponse], description: 'Every device, revoked ones included, oldest first' })
  devices: DeviceResponse[];
}

export class CreatedIdentityResponse {
  @ApiProperty({ type: IdentityResponse })
  identity: IdentityResponse;
  @ApiProperty({ type: DeviceResponse })
  device: DeviceResponse;
}

export class KdfParamsResponse {
  @ApiProperty({ enum: ['argon2id'] })
  alg: string;
  @ApiProperty(b64('16 bytes'))
  salt: string;
  @ApiProperty({ type: 'integer' })
  memoryKiB: number;
  @ApiProperty({ type: 'integer' })
  iterations: number;
  @ApiProperty({ type: 'integer' })
  parallelism: number;
}

export class KeyBackupResponse {
  @ApiProperty({ enum: [1] })
  version: number;
  @ApiProperty({ type: KdfParamsResponse })
  kdf: KdfParamsResponse;
  @ApiProperty(b64('12 bytes'))
  nonce: string;
  @ApiProperty(b64('The wrapped keys'))
  ciphertext: string;
}

export class BackupResponse {
  @ApiProperty(b64('Ed25519 identity public key (32 bytes): check the restored key against it'))
  identityKey: string;
  @ApiProperty({ type: KeyBackupResponse })
  backup: KeyBackupResponse;
}

export function toIdentityResponse(i: IdentityRow): IdentityResponse {
  return {
    identityKey: toB64(i.identityKey),
    backupKey: toB64(i.backupKey),
    backupKeySignature: toB64(i.backupKeySignature),
    createdAt: i.createdAt.toISOString(),
  };
}

export function toDeviceResponse(d: DeviceRow): DeviceResponse {
  return {
    deviceId: d.id,
    userId: d.userId,
    identityKey: toB64(d.identityKey),
    x25519PublicKey: toB64(d.x25519PublicKey),
    ed25519PublicKey: toB64(d.ed25519PublicKey),
    certificate: toB64(d.certificate),
    label: d.label,
    createdAt: d.createdAt.toISOString(),
    revokedAt: d.revokedAt ? d.revokedAt.toISOString() : null,
  };
}

export function toUserKeysResponse(k: { userId: string; identity: IdentityRow | null; devices: DeviceRow[] }): UserKeysResponse {
  return {
    userId: k.userId,
    identity: k.identity ? toIdentityResponse(k.identity) : null,
    devices: k.devices.map(toDeviceResponse),
  };
}

function toKeyBackupResponse(b: KeyBackupRow): KeyBackupResponse {
  return {
    version: b.version,
    kdf: { alg: b.kdfAlg, salt: toB64(b.salt), memoryKiB: b.memoryKiB, iterations: b.iterations, parallelism: b.parallelism },
    nonce: toB64(b.nonce),
    ciphertext: toB64(b.ciphertext),
  };
}

export function toBackupResponse(i: IdentityRow): BackupResponse {
  return { identityKey: toB64(i.identityKey), backup: toKeyBackupResponse(i.backup) };
}
