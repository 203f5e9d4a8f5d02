import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { transactionWithRetry } from '../../common/database/transaction-retry';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit';
import { assertRecentSignIn } from '../identity';
import { ConversationsRepository } from './conversations.repository';
import type { CreateIdentityDto, DeviceRegistrationDto } from './dto/keys.dto';
import { backupKeyStatement, deviceStatement, fromB64, keyFingerprint, verifyEd25519 } from './e2ee-wire';
import { MessagingEventsPublisher } from './events/messaging-events';
import { KeysRepository, type DeviceRow, type IdentityRow } from './keys.repository';
import {
  E2eeDeviceExists,
  E2eeDeviceLimit,
  E2eeDeviceNotFound,
  E2eeIdentityExists,
  E2eeIdentityNotFound,
  E2eeSignatureInvalid,
  E2eeUserNotFound,
} from './messaging.errors';

/** Active devices one user may have (each one is a recipient of every epoch of each of their conversations). */
export const MAX_ACTIVE_DEVICES = 20;

export interface UserKeys {
  userId: string;
  identity: IdentityRow | null;
  devices: DeviceRow[];
}

/**
 * Users' public keys: the identity (with the wrapped key backup) and the devices it certifies.
 * The server checks every signature it is given with node:crypto (the backup key and device
 * certificates by the identity key), so a key that its owner's identity did not certify is never
 * handed to anyone. Every change tells the owner's and their counterparts' event streams
 * (`keys`), and is audited with ids and key fingerprints only.
 */
@Injectable()
export class E2eeKeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly keys: KeysRepository,
    private readonly conversations: ConversationsRepository,
    private readonly events: MessagingEventsPublisher,
    private readonly audit: AuditService,
  ) {}

  async mine(actor: AuthUser): Promise<UserKeys> {
    return this.keysOfUser(this.dataSource.manager, actor.id);
  }

  /** Someone's keys: the caller's own, or those of a user they share a conversation with; anyone else is a 404. */
  async ofUser(actor: AuthUser, userId: string): Promise<UserKeys> {
    const m = this.dataSource.manager;
    if (userId !== actor.id && !(await this.conversations.share(m, actor.id, userId))) throw new E2eeUserNotFound();
    return this.keysOfUser(m, userId);
  }

  async backup(actor: AuthUser): Promise<IdentityRow> {
    const identity = await this.keys.identity(this.dataSource.manager, actor.id);
    if (!identity) throw new E2eeIdentityNotFound();
    return identity;
  }

  /**
   * Sets up the caller's keys with their first device, or (`reset`) replaces them: every device
   * is revoked, so no later epoch is sealed to a device that held the old keys.
   */
  async createIdentity(actor: AuthUser, input: CreateIdentityDto): Promise<{ identity: IdentityRow; device: DeviceRow }> {
    // A reset makes the whole history unreadable to the user: only a fresh interactive sign-in
    // may do it, never an API key or a session kept alive by refreshes alone.
    if (input.reset) assertRecentSignIn(actor, this.clock.now());
    const identityKey = fromB64(input.identityKey)!;
    const backupKey = fromB64(input.backupKey)!;
    const backupKeySignature = fromB64(input.backupKeySignature)!;
    if (!verifyEd25519(identityKey, backupKeyStatement(actor.id, input.backupKey), backupKeySignature)) {
      throw new E2eeSignatureInvalid('The backup key’s signature does not verify with the identity key');
    }
    this.assertCertified(actor.id, identityKey, input.device);
    return transactionWithRetry(this.dataSource, async (m) => {
      const now = this.clock.now();
      const previous = await this.keys.identity(m, actor.id, { lock: true });
      if (previous && !input.reset) throw new E2eeIdentityExists();
      if (await this.keys.device(m, input.device.deviceId)) throw new E2eeDeviceExists();
      const identity: IdentityRow = {
        userId: actor.id,
        identityKey,
        backupKey,
        backupKeySignature,
        backup: {
          version: input.backup.version,
          kdfAlg: input.backup.kdf.alg,
          salt: fromB64(input.backup.kdf.salt)!,
          memoryKiB: input.backup.kdf.memoryKiB,
          iterations: input.backup.kdf.iterations,
          parallelism: input.backup.kdf.parallelism,
          nonce: fromB64(input.backup.nonce)!,
          ciphertext: fromB64(input.backup.ciphertext)!,
        },
        createdAt: now,
      };
      let revoked: string[] = [];
      if (previous) {
        revoked = await this.keys.revokeAllDevices(m, actor.id, now);
        await this.keys.replaceIdentity(m, identity);
      } else {
        await this.keys.insertIdentity(m, identity);
      }
      const device = await this.insertDevice(m, actor.id, identityKey, input.device, now);
      await this.events.publish(m, { event: { type: 'keys', data: { userId: actor.id } }, to: [actor.id] });
      const fingerprints = {
        identityKeyFingerprint: keyFingerprint(identityKey),
        backupKeyFingerprint: keyFingerprint(backupKey),
      };
      if (previous) {
        // audit: e2ee.identity_reset
        await this.audit.record(m, {
          actorId: actor.id,
          actorRole: actor.role,
          action: 'e2ee.identity_reset',
          subjectType: 'user',
          subjectId: actor.id,
          payload: {
            ...fingerprints,
            previousIdentityKeyFingerprint: keyFingerprint(previous.identityKey),
            deviceId: device.id,
            revokedDeviceIds: revoked,
          },
        });
      } else {
        // audit: e2ee.identity_created
        await this.audit.record(m, {
          actorId: actor.id,
          actorRole: actor.role,
          action: 'e2ee.identity_created',
          subjectType: 'user',
          subjectId: actor.id,
          payload: { ...fingerprints, deviceId: device.id },
        });
      }
      await this.auditDeviceAdded(m, actor, device);
      return { identity, device };
    });
  }

  /** Registers another browser of the caller, certified by their current identity key. */
  async addDevice(actor: AuthUser, input: DeviceRegistrationDto): Promise<DeviceRow> {
    return transactionWithRetry(this.dataSource, async (m) => {
      const now = this.clock.now();
      // Locked: a concurrent reset cannot slip between the certificate check and the insert.
      const identity = await this.keys.identity(m, actor.id, { lock: true });
      if (!identity) throw new E2eeIdentityNotFound();
      this.assertCertified(actor.id, identity.identityKey, input);
      if (await this.keys.device(m, input.deviceId)) throw new E2eeDeviceExists();
      if ((await this.keys.activeDeviceCount(m, actor.id)) >= MAX_ACTIVE_DEVICES)
        throw new E2eeDeviceLimit(undefined, { max: MAX_ACTIVE_DEVICES });
      const device = await this.insertDevice(m, actor.id, identity.identityKey, input, now);
      await this.events.publish(m, { event: { type: 'keys', data: { userId: actor.id } }, to: [actor.id] });
      await this.auditDeviceAdded(m, actor, device);
      return device;
    });
  }

  /** Revokes one of the caller's active devices: later epochs are no longer sealed to it. */
  async revokeDevice(actor: AuthUser, deviceId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.keys.identity(m, actor.id, { lock: true });
      const device = await this.keys.revokeDevice(m, actor.id, deviceId, this.clock.now());
      if (!device) throw new E2eeDeviceNotFound();
      await this.events.publish(m, { event: { type: 'keys', data: { userId: actor.id } }, to: [actor.id] });
      // audit: e2ee.device_revoked
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'e2ee.device_revoked',
        subjectType: 'user',
        subjectId: actor.id,
        payload: { deviceId: device.id, signingKeyFingerprint: keyFingerprint(device.ed25519PublicKey) },
      });
    });
  }

  private async keysOfUser(m: EntityManager, userId: string): Promise<UserKeys> {
    const [identity, devices] = await Promise.all([this.keys.identity(m, userId), this.keys.devices(m, [userId])]);
    return { userId, identity, devices };
  }

  private assertCertified(userId: string, identityKey: Buffer, d: DeviceRegistrationDto): void {
    const statement = deviceStatement(userId, d.deviceId, d.x25519PublicKey, d.ed25519PublicKey);
    if (!verifyEd25519(identityKey, statement, fromB64(d.certificate)!)) {
      throw new E2eeSignatureInvalid('The device certificate does not verify with the identity key');
    }
  }

  private async insertDevice(
    m: EntityManager,
    userId: string,
    identityKey: Buffer,
    d: DeviceRegistrationDto,
    now: Date,
  ): Promise<DeviceRow> {
    const device = await this.keys.insertDevice(m, {
      id: d.deviceId,
      userId,
      identityKey,
      x25519PublicKey: fromB64(d.x25519PublicKey)!,
      ed25519PublicKey: fromB64(d.ed25519PublicKey)!,
      certificate: fromB64(d.certificate)!,
      label: d.label,
      createdAt: now,
    });
    if (!device) throw new E2eeDeviceExists();
    return device;
  }

  private async auditDeviceAdded(m: EntityManager, actor: AuthUser, device: DeviceRow): Promise<void> {
    // audit: e2ee.device_added
    await this.audit.record(m, {
      actorId: actor.id,
      actorRole: actor.role,
      action: 'e2ee.device_added',
      subjectType: 'user',
      subjectId: actor.id,
      payload: {
        deviceId: device.id,
        signingKeyFingerprint: keyFingerprint(device.ed25519PublicKey),
        agreementKeyFingerprint: keyFingerprint(device.x25519PublicKey),
      },
    });
  }
}
