import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../../common/auth/auth-user';
import { Clock } from '../../../common/time/clock';
import { AppConfig } from '../../../config/app-config';
import { JobsService } from '../../jobs';
import type { VideoRoom } from '../video.repository';
import { joinRefusal } from '../video-rules';
import { VideoJoinClosed } from '../video.errors';
import { VideoService, type VideoMember } from '../video.service';
import type { SignalType } from './dto/signal.dto';
import { SignalCursorInvalid, SignalRecipientInvalid, SignallingUnavailable, SignalTooLarge } from './signalling.errors';
import { HEARTBEAT_MS, SignalStream, type SseSink } from './signal-stream';
import { VideoSignalListener } from './video-signal-listener';
import { VideoSignalsRepository, type PeerParticipant } from './video-signals.repository';

/** Largest `data` of a relayed message, as JSON (SDP offers are a few KB, candidates a few hundred bytes). */
export const SIGNAL_DATA_MAX_BYTES = 64 * 1024;
/** Relayed messages are kept this long, then deleted by the cleanup job. */
export const SIGNAL_RETENTION_MS = 24 * 60 * 60_000;
export const SIGNALS_CLEANUP_QUEUE = 'video.signals-cleanup';

/** What the stream's first event (`event: ready`) tells the browser. */
export interface SignalReady {
  identity: string;
  role: 'CLIENT' | 'LAWYER';
  /** The other participant while the server believes they are in the call (their last attendance event is 'joined'). */
  peers: { identity: string; role: 'CLIENT' | 'LAWYER' }[];
}

/** A stream that passed the checks and whose attendance is recorded; `attach` starts writing. */
export interface OpenedSignalStream {
  ready: SignalReady;
  attach(sink: SseSink): void;
  /** Gives up on a stream that will never be attached (the response failed first). */
  abandon(): void;
}

/**
 * The peer-to-peer call's signalling relay. A participant who joined opens an event stream and
 * posts messages for the other one; messages are rows of `video_signals` (any replica stores
 * them, NOTIFY wakes the replica holding the recipient's stream). Opening a stream is attendance
 * 'joined' and tells the other participant ('peer-joined'); closing this identity's last stream
 * on this replica is 'left' ('peer-left').
 *
 * Where a stream starts: with `Last-Event-ID` (a reconnecting browser), right after that id, so
 * nothing sent meanwhile is missed; without it (a new page), after the newest message at connect
 * time: what was sent to an earlier page of this participant is stale (offers for a peer
 * connection that no longer exists), and the other side learns of the new page from its
 * 'peer-joined' and negotiates afresh.
 */
@Injectable()
export class VideoSignallingService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(VideoSignallingService.name);
  /** Open or opening streams per `<sessionId>:<userId>` on this replica. */
  private readonly presence = new Map<string, number>();
  /** Attendance writes of closing streams still running (awaited at shutdown). */
  private readonly closing = new Set<Promise<void>>();
  private shuttingDown = false;
  /** Interval of the `: ping` comment (and the catch-up poll that goes with it) of streams opened from now on. */
  heartbeatMs = HEARTBEAT_MS;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly video: VideoService,
    private readonly signals: VideoSignalsRepository,
    private readonly listener: VideoSignalListener,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ name: SIGNALS_CLEANUP_QUEUE, retryLimit: 0 }, async () => void (await this.cleanup()), {
      cron: { expression: '17 * * * *' },
    });
  }

  /**
   * Checks that the caller may stream this session's signals now, records their attendance,
   * tells the other participant, and returns the stream to attach to the response. Throws (and
   * writes nothing) for a non-participant (404), before joining (409 VIDEO_NOT_JOINED), after the
   * call ended (409 VIDEO_JOIN_CLOSED) or for a malformed Last-Event-ID (400).
   */
  async open(actor: AuthUser, sessionId: string, lastEventId: string | undefined): Promise<OpenedSignalStream> {
    const resumeAfter = parseCursor(lastEventId);
    if (this.shuttingDown) throw new SignallingUnavailable();
    await this.listener.ensureListening();
    const key = presenceKey(sessionId, actor.id);
    // Counted before the transaction: a stream of the same identity closing meanwhile sees it
    // (under the session lock) and does not write 'left'.
    this.presence.set(key, (this.presence.get(key) ?? 0) + 1);
    let opened: { member: VideoMember; cursor: string; ready: SignalReady };
    try {
      opened = await this.dataSource.transaction(async (m) => {
        const now = this.clock.now();
        const member = await this.video.member(m, actor, sessionId);
        this.assertOpen(member, now);
        const newest = await this.signals.maxId(m, sessionId);
        const cursor = resumeAfter !== null && BigInt(resumeAfter) <= BigInt(newest) ? resumeAfter : newest;
        const { participant } = member;
        await this.video.recordAttendance(m, participant, 'joined', { source: 'signalling', occurredAt: now });
        const peer = await this.signals.otherParticipant(m, sessionId, actor.id);
        if (peer) {
          await this.signals.insert(m, { sessionId, from: 'server', to: peer.identity, type: 'peer-joined', data: { identity: participant.identity, role: participant.role } }, now);
        }
        const peers = peer?.lastEvent === 'joined' ? [{ identity: peer.identity, role: peer.role }] : [];
        return { member, cursor, ready: { identity: participant.identity, role: participant.role, peers } };
      });
    } catch (e) {
      this.release(key);
      throw e;
    }
    const { member, cursor, ready } = opened;
    const owner = { sessionId, userId: actor.id, identity: member.participant.identity };
    let settled = false;
    const stream = new SignalStream(
      owner,
      cursor,
      (afterId, limit) => this.signals.forRecipient(sessionId, owner.identity, afterId, limit),
      (s) => this.track(this.closed(actor, s)),
      this.logger,
      this.heartbeatMs,
    );
    return {
      ready,
      attach: (sink) => {
        if (settled) return;
        settled = true;
        this.listener.add(stream);
        stream.attach(sink, ready);
      },
      abandon: () => {
        if (settled) return;
        settled = true;
        this.track(this.closed(actor, stream));
      },
    };
  }

  /** Relays a message to the other participant; its id. */
  async send(actor: AuthUser, sessionId: string, input: { to?: string; type: SignalType; data: Record<string, unknown> }): Promise<{ id: string }> {
    if (Buffer.byteLength(JSON.stringify(input.data), 'utf8') > SIGNAL_DATA_MAX_BYTES) throw new SignalTooLarge();
    return this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      const member = await this.video.member(m, actor, sessionId);
      this.assertOpen(member, now);
      let to: string | null = null;
      if (input.to !== undefined) {
        const peer = await this.signals.otherParticipant(m, sessionId, actor.id);
        if (!peer || peer.identity !== input.to) throw new SignalRecipientInvalid();
        to = peer.identity;
      }
      const row = await this.signals.insert(m, { sessionId, from: member.participant.identity, to, type: input.type, data: input.data }, now);
      return { id: row.id };
    });
  }

  /** Deletes relayed messages older than the retention (24 h); how many. Run hourly by pg-boss. */
  async cleanup(): Promise<number> {
    const removed = await this.signals.deleteCreatedBefore(new Date(this.clock.nowMs() - SIGNAL_RETENTION_MS));
    if (removed > 0) this.logger.log(`Deleted ${removed} relayed video signals older than 24 h`);
    return removed;
  }

  /** Ends every open stream (recording 'left') before the HTTP server closes and the pools go. */
  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    for (const stream of this.listener.all()) stream.end();
    await Promise.allSettled([...this.closing]);
  }

  private assertOpen({ session, room }: { session: VideoMember['session']; room: VideoRoom }, now: Date): void {
    if (room.status === 'ended') throw new VideoJoinClosed();
    const refusal = joinRefusal(session, now, { early: this.config.VIDEO_JOIN_EARLY_MINUTES, grace: this.config.VIDEO_JOIN_GRACE_MINUTES });
    if (refusal) throw refusal;
  }

  private track(work: Promise<void>): void {
    this.closing.add(work);
    void work.finally(() => this.closing.delete(work));
  }

  /** A stream ended: unless this identity has another stream here, attendance 'left' and 'peer-left'. */
  private async closed(actor: AuthUser, stream: SignalStream): Promise<void> {
    this.listener.remove(stream);
    const key = presenceKey(stream.owner.sessionId, actor.id);
    this.release(key);
    if (this.presence.has(key)) return;
    try {
      await this.dataSource.transaction(async (m: EntityManager) => {
        const { participant } = await this.video.member(m, actor, stream.owner.sessionId);
        // Re-checked under the session lock: a stream of this identity opening meanwhile keeps it present.
        if (this.presence.has(key)) return;
        const now = this.clock.now();
        const left = await this.video.recordAttendance(m, participant, 'left', { source: 'signalling', occurredAt: now });
        const peer: PeerParticipant | null = await this.signals.otherParticipant(m, stream.owner.sessionId, actor.id);
        if (left && peer) {
          await this.signals.insert(m, { sessionId: stream.owner.sessionId, from: 'server', to: peer.identity, type: 'peer-left', data: { identity: participant.identity, role: participant.role } }, now);
        }
      });
    } catch (e) {
      this.logger.error(`Recording that ${stream.owner.identity} left session ${stream.owner.sessionId} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private release(key: string): void {
    const n = (this.presence.get(key) ?? 1) - 1;
    if (n <= 0) this.presence.delete(key);
    else this.presence.set(key, n);
  }
}

function presenceKey(sessionId: string, userId: string): string {
  return `${sessionId}:${userId}`;
}

/** A Last-Event-ID: a message id (decimal, at most bigint's 18 safe digits), or null when absent. */
function parseCursor(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  const v = value.trim();
  if (!/^\d{1,18}$/.test(v)) throw new SignalCursorInvalid();
  return BigInt(v).toString();
}
