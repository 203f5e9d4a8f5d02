import type { CallConnector, CallHandle, CallState, ConnectOptions, RecordingSignal } from './call-connector';
import { SignalChannel, type SignalMessage } from './signal-channel';

/** What each negotiation message carries besides the SDP or candidate: which connections it is from and for. */
interface Envelope {
  /** The sender's RTCPeerConnection (a new one after a reload or a reset). */
  sid: string;
  /** The receiver's connection it answers, or null before the sender knows it. */
  for: string | null;
}
interface DescriptionMessage extends Envelope {
  description: RTCSessionDescriptionInit;
}
interface CandidateMessage extends Envelope {
  candidate: RTCIceCandidateInit | null;
}

/** How long a 'disconnected' connection may stay so before an ICE restart. */
const DISCONNECTED_GRACE_MS = 4000;
/**
 * How long the offer/answer exchange of a new connection may stay unfinished while the other side
 * is there before the impolite side starts over with a fresh one (a signal lost on the way, or
 * an offer and a reset crossing each other, would otherwise leave both waiting for an answer that
 * never comes). Doubles after each such restart, up to the maximum; ICE and DTLS, once both
 * descriptions are set, get all the time they need (slow TURN paths), and their failures go
 * through restartIce().
 */
const NEGOTIATION_STALL_MS = 10_000;
const NEGOTIATION_STALL_MAX_MS = 60_000;

declare global {
  interface Window {
    /**
     * The current call's transport statistics, for the journeys (they check that media really
     * flows). Exposes nothing the page's own scripts could not reach anyway.
     */
    __lmCall?: { getStats(): Promise<RTCStatsReport | null> };
  }
}

function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * One peer-to-peer call: a WebRTC connection straight to the other browser (media encrypted
 * end to end with DTLS-SRTP), negotiated with the "perfect negotiation" pattern (the client is
 * the polite side, the lawyer the impolite one) over the API's signalling stream.
 *
 * Each connection has an id (`sid`) carried by every message, and answers and candidates name
 * the connection they are for, so messages of a connection that has since been replaced (the
 * other side reloaded, or an old offer was still queued) are recognised and dropped instead of
 * confusing the new one.
 */
class P2PCall implements CallHandle {
  private pc: RTCPeerConnection | null = null;
  private localId = '';
  private remoteId: string | null = null;
  private makingOffer = false;
  private ignoreOffer = false;
  private readonly polite: boolean;
  private readonly channel: SignalChannel;
  private queue: Promise<void> = Promise.resolve();
  private streamOpen = false;
  private peerGone = false;
  /** The other side has shown itself (joined, or sent an offer or answer) since our last reset. */
  private peerSeen = false;
  private everConnected = false;
  private closed = false;
  private disconnectedTimer: ReturnType<typeof setTimeout> | undefined;
  private stallTimer: ReturnType<typeof setTimeout> | undefined;
  private stallWaitMs = NEGOTIATION_STALL_MS;

  constructor(private readonly o: ConnectOptions) {
    this.polite = o.join.room.myRole !== 'LAWYER';
    this.channel = new SignalChannel({
      sessionId: o.sessionId,
      onMessage: (m) => {
        this.queue = this.queue.then(() => this.handle(m)).catch(() => undefined);
      },
      onOpen: (open) => {
        const first = open && !this.streamOpen && !this.pc;
        this.streamOpen = open;
        if (first) this.reset();
        this.report();
      },
      onFatal: () => {
        this.streamOpen = false;
        this.closed = true;
        this.report('disconnected');
      },
    });
  }

  start(): void {
    this.report('connecting');
    this.channel.start();
    window.__lmCall = { getStats: () => this.getStats() };
  }

  async replaceTrack(track: MediaStreamTrack): Promise<void> {
    const sender = this.pc?.getSenders().find((s) => s.track?.kind === track.kind);
    await sender?.replaceTrack(track);
  }

  disconnect(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.disconnectedTimer);
    clearTimeout(this.stallTimer);
    void this.channel.send('bye', { sid: this.localId }).catch(() => undefined);
    this.channel.close();
    this.closePc();
    if (window.__lmCall) delete window.__lmCall;
    this.o.onState('disconnected');
  }

  async getStats(): Promise<RTCStatsReport | null> {
    return this.pc ? this.pc.getStats() : null;
  }

  /** A new connection (first start, the other side came back, or theirs was replaced). */
  private reset(): void {
    this.closePc();
    this.localId = randomId();
    this.remoteId = null;
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.peerSeen = false;
    const pc = new RTCPeerConnection({ iceServers: this.o.join.iceServers as RTCIceServer[] });
    this.pc = pc;
    this.watchForStall();
    for (const track of this.o.localStream.getTracks()) pc.addTrack(track, this.o.localStream);
    const remote = new MediaStream();
    pc.ontrack = ({ track, streams }) => {
      const stream = streams[0] ?? remote;
      if (!streams[0]) remote.addTrack(track);
      this.o.onRemoteStream(stream);
    };
    pc.onicecandidate = ({ candidate }) => {
      if (pc !== this.pc) return;
      const message: CandidateMessage = {
        sid: this.localId,
        for: this.remoteId,
        candidate: candidate ? candidate.toJSON() : null,
      };
      void this.channel.send('candidate', message).catch(() => undefined);
    };
    pc.onnegotiationneeded = async () => {
      if (pc !== this.pc) return;
      try {
        this.makingOffer = true;
        await pc.setLocalDescription();
        const message: DescriptionMessage = { sid: this.localId, for: this.remoteId, description: pc.localDescription!.toJSON() };
        await this.channel.send('offer', message);
      } catch {
        // The next negotiationneeded (or the other side's offer) tries again.
      } finally {
        this.makingOffer = false;
      }
    };
    pc.onconnectionstatechange = () => {
      if (pc !== this.pc) return;
      clearTimeout(this.disconnectedTimer);
      if (pc.connectionState === 'connected') {
        this.everConnected = true;
        this.peerGone = false;
        clearTimeout(this.stallTimer);
        this.stallWaitMs = NEGOTIATION_STALL_MS;
      }
      if (pc.connectionState === 'failed') pc.restartIce();
      if (pc.connectionState === 'disconnected') {
        this.disconnectedTimer = setTimeout(() => {
          if (pc === this.pc && pc.connectionState === 'disconnected') pc.restartIce();
        }, DISCONNECTED_GRACE_MS);
      }
      this.report();
    };
  }

  /**
   * The impolite side's watch over a new connection's negotiation (see NEGOTIATION_STALL_MS).
   * The check runs in the signalling queue, so it never closes a connection a message handler is
   * still awaiting; it ends once the connection connects.
   */
  private watchForStall(): void {
    clearTimeout(this.stallTimer);
    if (this.polite || this.closed) return;
    const watched = this.pc;
    this.stallTimer = setTimeout(() => {
      this.queue = this.queue
        .then(() => {
          const pc = this.pc;
          if (this.closed || !pc || pc !== watched || pc.connectionState === 'connected') return;
          const unanswered = pc.signalingState === 'have-local-offer' || pc.remoteDescription === null;
          if (unanswered && this.peerSeen && !this.peerGone && this.streamOpen) {
            this.stallWaitMs = Math.min(this.stallWaitMs * 2, NEGOTIATION_STALL_MAX_MS);
            this.reset();
          } else this.watchForStall();
        })
        .catch(() => undefined);
    }, this.stallWaitMs);
  }

  private closePc(): void {
    const pc = this.pc;
    if (!pc) return;
    this.pc = null;
    pc.ontrack = pc.onicecandidate = pc.onnegotiationneeded = pc.onconnectionstatechange = null;
    pc.close();
  }

  private async handle(m: SignalMessage): Promise<void> {
    if (this.closed || m.from === this.o.join.identity) return;
    const data = (m.data ?? {}) as Record<string, unknown>;
    switch (m.type) {
      case 'peer-joined':
        if (data.identity === this.o.join.identity) return;
        this.peerGone = false;
        if (this.pc?.connectionState !== 'connected') this.reset();
        this.peerSeen = true;
        this.report();
        return;
      case 'peer-left':
      case 'bye':
        if (data.identity === this.o.join.identity) return;
        this.peerGone = true;
        this.o.onRemoteStream(null);
        // A fresh connection, ready for their return (its offer waits for them).
        this.reset();
        this.report();
        return;
      case 'ended':
        this.o.onEnded();
        return;
      case 'recording-state':
      case 'recording':
        this.o.onRecording(data as unknown as RecordingSignal);
        return;
      case 'offer':
        return this.onOffer(data as unknown as DescriptionMessage);
      case 'answer':
        return this.onAnswer(data as unknown as DescriptionMessage);
      case 'candidate':
        return this.onCandidate(data as unknown as CandidateMessage);
    }
  }

  private async onOffer(d: DescriptionMessage): Promise<void> {
    if (!d.sid || !d.description) return;
    if (d.for && d.for !== this.localId) return; // for a connection of ours that is gone
    if (!this.pc || (this.remoteId && d.sid !== this.remoteId)) this.reset(); // they started over
    const pc = this.pc!;
    this.remoteId = d.sid;
    this.peerGone = false;
    this.peerSeen = true;
    const collision = this.makingOffer || pc.signalingState !== 'stable';
    this.ignoreOffer = !this.polite && collision;
    if (this.ignoreOffer) return;
    const localId = this.localId;
    await pc.setRemoteDescription(d.description); // rolls our own offer back if we made one (polite side)
    await pc.setLocalDescription();
    if (pc !== this.pc) return; // replaced meanwhile: this answer is for a connection that is gone
    const answer: DescriptionMessage = { sid: localId, for: d.sid, description: pc.localDescription!.toJSON() };
    await this.channel.send('answer', answer);
  }

  private async onAnswer(d: DescriptionMessage): Promise<void> {
    const pc = this.pc;
    if (!pc || d.for !== this.localId || !d.description) return;
    if (pc.signalingState !== 'have-local-offer') return;
    this.remoteId = d.sid;
    this.peerSeen = true;
    await pc.setRemoteDescription(d.description);
  }

  private async onCandidate(d: CandidateMessage): Promise<void> {
    const pc = this.pc;
    if (!pc || !d.sid) return;
    if (d.for ? d.for !== this.localId : d.sid !== this.remoteId) return;
    try {
      await pc.addIceCandidate(d.candidate ?? undefined);
    } catch (error) {
      // Candidates of an offer we ignored (glare, impolite side) fail by design.
      if (!this.ignoreOffer) console.warn('ICE candidate refused', error);
    }
  }

  private report(forced?: CallState): void {
    if (forced) return this.o.onState(forced);
    if (this.closed) return;
    const pcState = this.pc?.connectionState;
    let state: CallState;
    if (pcState === 'connected') state = 'connected';
    else if (this.peerGone) state = 'waiting';
    else if (!this.streamOpen || pcState === 'disconnected' || pcState === 'failed')
      state = this.everConnected ? 'reconnecting' : 'connecting';
    else state = this.everConnected ? 'reconnecting' : 'connecting';
    this.o.onState(state);
  }
}

export const p2pConnector: CallConnector = {
  connect(options) {
    const call = new P2PCall(options);
    call.start();
    return Promise.resolve(call);
  },
};
