import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { InjectDataSource } from '@nestjs/typeorm';
import { Role } from '@lm/domain';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { transactionWithRetry } from '../../common/database/transaction-retry';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import type { IceServer } from '../../config/ice-servers';
import { AuditService } from '../audit';
import { SessionLifecycle, SessionNotFound, type LegalSession } from '../consultations-core';
import { VideoProvider, type VideoProviderName } from './provider/video-provider';
import { VideoSignalsRepository } from './signalling/video-signals.repository';
import { VideoEndLawyerOnly, VideoNotJoined, VideoProviderUnavailable } from './video.errors';
import { joinRefusal, joinWindow, type JoinWindow } from './video-rules';
import { VideoRepository, type AttendanceRow, type VideoParticipant, type VideoRoom } from './video.repository';

export type ParticipantRole = 'CLIENT' | 'LAWYER';

/** What a participant (or an admin) sees of a session's call. */
export interface VideoRoomState {
  sessionId: string;
  provider: VideoProviderName;
  status: LegalSession['status'];
  window: JoinWindow | null;
  joinable: boolean;
  refusal: string | null;
  endToEndEncrypted: boolean;
  recording: { clientConsented: boolean; lawyerConsented: boolean; active: boolean };
  myRole: ParticipantRole | null;
}

export interface VideoJoin {
  provider: VideoProviderName;
  roomName: string;
  identity: string;
  token: string | null;
  expiresAt: Date;
  iceServers: IceServer[];
  room: VideoRoomState;
}

/** A participant of a session, resolved for the signalling relay and the recording uploads. */
export interface VideoMember {
  session: LegalSession;
  room: VideoRoom;
  participant: VideoParticipant;
}

const SYSTEM = null;

/**
 * A session's call: the room (created once, at the provider too), each participant's opaque
 * identity and join token, recording consent, the attendance log and the end of the call. Every
 * change goes through `SessionLifecycle` (IN_PROGRESS on the first join, COMPLETED at the end)
 * and writes an audit entry in the same transaction. Only the session's two participants get
 * anything; everyone else gets the 404 of a session that does not exist.
 */
@Injectable()
export class VideoService {
  private readonly logger = new Logger(VideoService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly provider: VideoProvider,
    private readonly repo: VideoRepository,
    private readonly signals: VideoSignalsRepository,
    private readonly sessions: SessionLifecycle,
    private readonly audit: AuditService,
  ) {}

  get providerName(): VideoProviderName {
    return this.provider.name;
  }

  get recordsInBrowser(): boolean {
    return this.provider.recordsInBrowser;
  }

  /** The call's state for a participant (admins may look too); 404 for anyone else. */
  async state(actor: AuthUser, sessionId: string): Promise<VideoRoomState> {
    const session = await this.sessions.find(sessionId);
    const role = session ? participantRole(session, actor.id) : null;
    if (!session || (!role && actor.role !== Role.ADMIN)) throw new SessionNotFound();
    const room = await this.repo.room(null, sessionId);
    const participants = room ? await this.repo.participants(null, sessionId) : [];
    return this.describe(session, room, participants, role);
  }

  /**
   * Admits a participant: checks the join window, creates the room on the first join (the
   * session row is locked, so concurrent first joins create one), gives the participant their
   * opaque identity, records their recording consent, moves the session to IN_PROGRESS and
   * issues a token for this room only, valid until the window closes.
   */
  async join(actor: AuthUser, sessionId: string, input: { recordingConsent: boolean }): Promise<VideoJoin> {
    return transactionWithRetry(this.dataSource, async (m) => {
      const now = this.clock.now();
      let session = await this.sessions.lockForParticipant(m, sessionId, actor.id);
      const role = participantRole(session, actor.id)!;
      const refusal = joinRefusal(session, now, this.windowMinutes);
      if (refusal) throw refusal;
      const who = { id: actor.id, role: actor.role };
      const room = (await this.repo.room(m, sessionId, { lock: true })) ?? (await this.createRoom(m, session, who, now));
      let participant = (await this.repo.participants(m, sessionId)).find((p) => p.userId === actor.id);
      if (!participant) {
        participant = await this.repo.insertParticipant(m, { sessionId, userId: actor.id, identity: opaqueId('p'), role, now });
      }
      if (input.recordingConsent && !participant.recordingConsentAt) {
        await this.giveConsent(m, session, room, participant, true, who, now);
      }
      if (session.status === 'SCHEDULED') {
        session = await this.sessions.transition(m, session, 'start', who, {}, { via: 'video_join' });
      }
      const window = joinWindow({ startAt: session.startAt!, endAt: session.endAt! }, this.windowMinutes);
      const token = await this.atProvider(() =>
        this.provider.issueToken({
          room: { roomName: room.roomName, providerRoomSid: room.providerRoomSid },
          identity: participant.identity,
          expiresAt: window.closesAt,
          now,
        }),
      );
      // audit: video.joined
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'video.joined',
        subjectType: 'session',
        subjectId: sessionId,
        payload: { provider: this.provider.name, identity: participant.identity, tokenExpiresAt: window.closesAt.toISOString() },
      });
      const participants = await this.repo.participants(m, sessionId);
      const latestRoom = (await this.repo.room(m, sessionId))!;
      return {
        provider: this.provider.name,
        roomName: room.roomName,
        identity: participant.identity,
        token,
        expiresAt: window.closesAt,
        iceServers: this.config.VIDEO_ICE_SERVERS,
        room: this.describe(session, latestRoom, participants, role),
      };
    });
  }

  /** Gives or withdraws the caller's recording consent; recording runs only while both consent. */
  async setConsent(actor: AuthUser, sessionId: string, consent: boolean): Promise<VideoRoomState> {
    return this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      const session = await this.sessions.lockForParticipant(m, sessionId, actor.id);
      const role = participantRole(session, actor.id)!;
      const { room, participant } = await this.requireMember(m, session, actor.id);
      if (Boolean(participant.recordingConsentAt) !== consent) {
        await this.giveConsent(m, session, room, participant, consent, { id: actor.id, role: actor.role }, now);
      }
      return this.describe(session, (await this.repo.room(m, sessionId))!, await this.repo.participants(m, sessionId), role);
    });
  }

  /** The caller leaves the call (the other participant may stay). */
  async leave(actor: AuthUser, sessionId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const session = await this.sessions.lockForParticipant(m, sessionId, actor.id);
      const { participant } = await this.requireMember(m, session, actor.id);
      await this.recordAttendance(m, participant, 'left', { source: 'signalling', occurredAt: this.clock.now() });
      // Only the other participant is told (the one leaving knows).
      const other = (await this.repo.participants(m, sessionId)).find((p) => p.userId !== actor.id);
      if (other) {
        await this.signals.insert(
          m,
          {
            sessionId,
            from: 'server',
            to: other.identity,
            type: 'peer-left',
            data: { identity: participant.identity, role: participant.role },
          },
          this.clock.now(),
        );
      }
    });
  }

  /** The lawyer ends the session for both: COMPLETED, the room ended at the provider, the recording composed. */
  async end(actor: AuthUser, sessionId: string): Promise<VideoRoomState> {
    const state = await this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      let session = await this.sessions.lockForParticipant(m, sessionId, actor.id);
      const role = participantRole(session, actor.id)!;
      if (role !== 'LAWYER') throw new VideoEndLawyerOnly();
      const { room } = await this.requireMember(m, session, actor.id);
      if (session.status !== 'COMPLETED') {
        session = await this.sessions.transition(
          m,
          session,
          'complete',
          { id: actor.id, role: actor.role },
          { completedAt: now },
          { via: 'video_end' },
        );
      }
      const ended = await this.closeRoom(m, room, { id: actor.id, role: actor.role }, now);
      return this.describe(session, ended, await this.repo.participants(m, sessionId), role);
    });
    return state;
  }

  /** The attendance log of a session (participants and admins). */
  async attendance(actor: AuthUser, sessionId: string): Promise<AttendanceRow[]> {
    const session = await this.sessions.find(sessionId);
    if (!session || (!participantRole(session, actor.id) && actor.role !== Role.ADMIN)) throw new SessionNotFound();
    return this.repo.attendance(sessionId);
  }

  // ——— for the rest of the video module (signalling, recordings, provider callbacks) ———

  /**
   * The caller's session, room and participant record (the caller must have joined); 404 for a
   * non-participant, 409 VIDEO_NOT_JOINED before the caller's first join.
   */
  async member(manager: EntityManager, actor: AuthUser, sessionId: string): Promise<VideoMember> {
    const session = await this.sessions.lockForParticipant(manager, sessionId, actor.id);
    return { session, ...(await this.requireMember(manager, session, actor.id)) };
  }

  /** Whether both participants currently consent to recording. */
  async bothConsented(manager: EntityManager, sessionId: string): Promise<boolean> {
    const participants = await this.repo.participants(manager, sessionId);
    return participants.length === 2 && participants.every((p) => p.recordingConsentAt !== null);
  }

  /** Who may read a session's recordings and attendance: its participants, and admins. */
  async assertCanRead(actor: AuthUser, sessionId: string): Promise<LegalSession> {
    const session = await this.sessions.find(sessionId);
    if (!session || (!participantRole(session, actor.id) && actor.role !== Role.ADMIN)) throw new SessionNotFound();
    return session;
  }

  /**
   * Appends an attendance event for a participant, skipping a repeat of their last event (a
   * leave after a leave). `dedupeKey` makes a redelivered provider event a no-op.
   */
  async recordAttendance(
    manager: EntityManager,
    participant: VideoParticipant,
    event: 'joined' | 'left',
    opts: { source: 'twilio' | 'signalling'; occurredAt: Date; dedupeKey?: string },
  ): Promise<AttendanceRow | null> {
    if (!opts.dedupeKey) {
      const last = await this.repo.lastAttendance(manager, participant.identity);
      if ((last?.event ?? 'left') === event) return null;
    }
    return this.repo.appendAttendance(manager, {
      sessionId: participant.sessionId,
      userId: participant.userId,
      identity: participant.identity,
      role: participant.role,
      event,
      occurredAt: opts.occurredAt,
      source: opts.source,
      dedupeKey: opts.dedupeKey ?? null,
      recordedAt: this.clock.now(),
    });
  }

  participantByIdentity(manager: EntityManager | null, identity: string): Promise<VideoParticipant | null> {
    return this.repo.participantByIdentity(manager, identity);
  }

  /** The room of a provider callback or job; `lock` for events that change it. */
  roomByProviderRef(
    manager: EntityManager,
    ref: { providerRoomSid?: string | null; roomName?: string | null },
    opts: { lock: boolean } = { lock: true },
  ): Promise<VideoRoom | null> {
    return this.repo.roomByProviderRef(manager, ref, opts);
  }

  /**
   * The provider says the room ended (or the call closed): the room is marked ended once, a
   * session still running is COMPLETED (by the system), and the composition is requested once.
   * Idempotent, for callbacks delivered twice or out of order.
   */
  async onRoomEnded(manager: EntityManager, room: VideoRoom, occurredAt: Date): Promise<VideoRoom> {
    const session = await this.sessions.lock(manager, room.sessionId);
    if (session.status === 'IN_PROGRESS') {
      await this.sessions.transition(manager, session, 'complete', SYSTEM, { completedAt: occurredAt }, { via: 'room_ended' });
    }
    return this.closeRoom(manager, room, SYSTEM, occurredAt);
  }

  /** Records that the provider has the room under its id (Twilio's RoomSid learned from a callback). */
  async attachProviderRoom(manager: EntityManager, room: VideoRoom, providerRoomSid: string): Promise<VideoRoom> {
    if (room.providerRoomSid) return room;
    return this.repo.updateRoom(manager, room.sessionId, { providerRoomSid }, this.clock.now());
  }

  /** Records the composition requested for a room (once). */
  async attachComposition(manager: EntityManager, room: VideoRoom, compositionSid: string): Promise<VideoRoom> {
    if (room.compositionSid) return room;
    return this.repo.updateRoom(
      manager,
      room.sessionId,
      { compositionSid, compositionRequestedAt: this.clock.now() },
      this.clock.now(),
    );
  }

  /** The URL a provider posts room events to (built from PUBLIC_URL, so correct behind a proxy). */
  callbackUrl(kind: 'rooms' | 'compositions'): string {
    return `${this.config.PUBLIC_URL.replace(/\/+$/, '')}/api/webhooks/twilio/${kind}`;
  }

  // ——— internals ———

  /**
   * A call to the video provider. Its failures (Twilio down, timing out, refusing) are not the
   * caller's fault and not a bug of ours: 503 VIDEO_PROVIDER_UNAVAILABLE, and the transaction
   * around the call rolls back, so nothing is half-written. Our own coded errors pass through.
   */
  private async atProvider<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      if (e instanceof DomainError) throw e;
      this.logger.error({ err: e }, `Video provider ${this.provider.name} call failed`);
      throw new VideoProviderUnavailable();
    }
  }

  private get windowMinutes(): { early: number; grace: number } {
    return { early: this.config.VIDEO_JOIN_EARLY_MINUTES, grace: this.config.VIDEO_JOIN_GRACE_MINUTES };
  }

  private async requireMember(
    m: EntityManager,
    session: LegalSession,
    userId: string,
  ): Promise<{ room: VideoRoom; participant: VideoParticipant }> {
    const room = await this.repo.room(m, session.id);
    const participant = room ? (await this.repo.participants(m, session.id)).find((p) => p.userId === userId) : undefined;
    if (!room || !participant) throw new VideoNotJoined();
    return { room, participant };
  }

  private async createRoom(
    m: EntityManager,
    session: LegalSession,
    actor: { id: string; role: string },
    now: Date,
  ): Promise<VideoRoom> {
    const roomName = opaqueId('lm');
    const { providerRoomSid } = await this.atProvider(() =>
      this.provider.ensureRoom({ roomName, statusCallbackUrl: this.callbackUrl('rooms') }),
    );
    const room = await this.repo.insertRoom(m, {
      sessionId: session.id,
      provider: this.provider.name,
      roomName,
      providerRoomSid,
      now,
    });
    // audit: video.room_created
    await this.audit.record(m, {
      actorId: actor.id,
      actorRole: actor.role,
      action: 'video.room_created',
      subjectType: 'session',
      subjectId: session.id,
      payload: { provider: this.provider.name, roomName, providerRoomSid },
    });
    return room;
  }

  private async giveConsent(
    m: EntityManager,
    session: LegalSession,
    room: VideoRoom,
    participant: VideoParticipant,
    consent: boolean,
    actor: { id: string; role: string },
    now: Date,
  ): Promise<void> {
    const wasActive = room.status === 'open' && (await this.bothConsented(m, session.id));
    await this.repo.setConsent(m, session.id, participant.userId, consent ? now : null);
    // audit: video.recording_consent_given / video.recording_consent_withdrawn
    await this.audit.record(m, {
      actorId: actor.id,
      actorRole: actor.role,
      action: consent ? 'video.recording_consent_given' : 'video.recording_consent_withdrawn',
      subjectType: 'session',
      subjectId: session.id,
      payload: { identity: participant.identity, role: participant.role },
    });
    const isActive = room.status === 'open' && (await this.bothConsented(m, session.id));
    if (wasActive === isActive) return;
    await this.atProvider(() =>
      this.provider.setRecording({ roomName: room.roomName, providerRoomSid: room.providerRoomSid }, isActive),
    );
    await this.repo.updateRoom(
      m,
      session.id,
      isActive ? { recordingRulesSetAt: now, recordingStoppedAt: null } : { recordingStoppedAt: now },
      now,
    );
    // audit: video.recording_started / video.recording_stopped
    await this.audit.record(m, {
      actorId: actor.id,
      actorRole: actor.role,
      action: isActive ? 'video.recording_started' : 'video.recording_stopped',
      subjectType: 'session',
      subjectId: session.id,
      payload: { provider: this.provider.name, by: participant.role },
    });
    await this.signals.insert(
      m,
      {
        sessionId: session.id,
        from: 'server',
        to: null,
        type: 'recording-state',
        data: { active: isActive, by: participant.role },
      },
      now,
    );
  }

  private async closeRoom(
    m: EntityManager,
    room: VideoRoom,
    actor: { id: string; role: string } | null,
    now: Date,
  ): Promise<VideoRoom> {
    let current = room;
    if (current.status !== 'ended') {
      await this.atProvider(() =>
        this.provider.endRoom({ roomName: current.roomName, providerRoomSid: current.providerRoomSid }),
      );
      current = await this.repo.updateRoom(m, room.sessionId, { status: 'ended', endedAt: now }, now);
      // audit: video.room_ended
      await this.audit.record(m, {
        actorId: actor?.id ?? null,
        actorRole: actor?.role ?? null,
        action: 'video.room_ended',
        subjectType: 'session',
        subjectId: room.sessionId,
        payload: { provider: current.provider, roomName: current.roomName },
      });
      await this.signals.insert(m, { sessionId: room.sessionId, from: 'server', to: null, type: 'ended', data: {} }, now);
    }
    if (!current.compositionRequestedAt && current.providerRoomSid && current.recordingRulesSetAt) {
      const composition = await this.atProvider(() =>
        this.provider.requestComposition({
          roomName: current.roomName,
          providerRoomSid: current.providerRoomSid,
          statusCallbackUrl: this.callbackUrl('compositions'),
        }),
      );
      if (composition) {
        current = await this.repo.updateRoom(
          m,
          room.sessionId,
          { compositionSid: composition.compositionSid, compositionRequestedAt: now },
          now,
        );
        // audit: video.composition_requested
        await this.audit.record(m, {
          actorId: null,
          actorRole: null,
          action: 'video.composition_requested',
          subjectType: 'session',
          subjectId: room.sessionId,
          payload: { compositionSid: composition.compositionSid },
        });
      }
    }
    return current;
  }

  private describe(
    session: LegalSession,
    room: VideoRoom | null,
    participants: VideoParticipant[],
    myRole: ParticipantRole | null,
  ): VideoRoomState {
    const now = this.clock.now();
    const refusal = joinRefusal(session, now, this.windowMinutes);
    const consent = (r: ParticipantRole) => participants.some((p) => p.role === r && p.recordingConsentAt !== null);
    const clientConsented = consent('CLIENT');
    const lawyerConsented = consent('LAWYER');
    return {
      sessionId: session.id,
      provider: this.provider.name,
      status: session.status,
      window:
        session.startAt && session.endAt
          ? joinWindow({ startAt: session.startAt, endAt: session.endAt }, this.windowMinutes)
          : null,
      joinable: refusal === null && myRole !== null,
      refusal: refusal?.code ?? null,
      endToEndEncrypted: this.provider.endToEndEncrypted,
      recording: {
        clientConsented,
        lawyerConsented,
        active: clientConsented && lawyerConsented && room?.status === 'open' && session.status === 'IN_PROGRESS',
      },
      myRole,
    };
  }
}

export function participantRole(session: LegalSession, userId: string): ParticipantRole | null {
  if (session.clientId === userId) return 'CLIENT';
  if (session.lawyerId === userId) return 'LAWYER';
  return null;
}

/** A random id that names nobody: rooms ('lm_…') and participant identities ('p_…'). */
function opaqueId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('hex')}`;
}
