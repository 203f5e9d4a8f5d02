import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { JobsService } from '../jobs';
import { NotificationsService } from './notifications.service';

export const SESSION_REMINDERS_QUEUE = 'notifications.session-reminders';

/** Reminder leads: a 1 h reminder for sessions starting within the hour, 24 h for those within the day. */
const LEADS = [
  { lead: '1h', withinMs: 60 * 60_000 },
  { lead: '24h', withinMs: 24 * 60 * 60_000 },
] as const;
const BATCH = 200;

interface DueSession {
  id: string;
  clientId: string;
  lawyerId: string;
  offeringTitle: string;
  startAt: Date;
  endAt: Date;
}

/**
 * Reminders 24 h and 1 h before a SCHEDULED session, to its client and its lawyer. A cron job
 * (every minute) finds sessions whose start falls in a lead's window, through consultations-core's
 * `session_bookings` view: within 1 h → the 1 h reminder; within 24 h but not 1 h → the 24 h one.
 * The dedupe key `reminder:<lead>:<session>:<start ISO>` makes each reminder once-only (a job run
 * twice, or two workers, send one), while a rescheduled session gets new reminders for its new time.
 */
@Injectable()
export class SessionRemindersService implements OnModuleInit {
  private readonly logger = new Logger(SessionRemindersService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ name: SESSION_REMINDERS_QUEUE, retryLimit: 0 }, async () => void (await this.sendDue()), {
      cron: { expression: '* * * * *' },
    });
  }

  /** Sends the reminders due at the clock's now; how many reminder notifications were written. */
  async sendDue(): Promise<number> {
    const now = this.clock.now();
    let written = 0;
    for (const { lead, withinMs } of LEADS) {
      const earliest = lead === '24h' ? new Date(now.getTime() + LEADS[0].withinMs) : now;
      const due = await this.due(now, earliest, new Date(now.getTime() + withinMs), lead);
      for (const s of due) {
        try {
          written += await this.remind(s, lead);
        } catch (e) {
          this.logger.error(`Reminder ${lead} for session ${s.id} failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }
    return written;
  }

  /**
   * SCHEDULED sessions starting in (earliest, latest] — for the 1 h lead earliest is now, so a
   * session that started is never reminded — and lacking this lead's reminder for either party.
   */
  private due(now: Date, earliest: Date, latest: Date, lead: string): Promise<DueSession[]> {
    return this.dataSource.query(
      `SELECT b.id, b.client_id AS "clientId", b.lawyer_id AS "lawyerId", b.offering_title AS "offeringTitle",
              b.start_at AS "startAt", b.end_at AS "endAt"
         FROM session_bookings b
        WHERE b.status = 'SCHEDULED' AND b.start_at > $1 AND b.start_at > $2 AND b.start_at <= $3
          AND (SELECT count(*) FROM notifications n
                WHERE n.user_id IN (b.client_id, b.lawyer_id)
                  AND n.dedupe_key = 'reminder:' || $4 || ':' || b.id || ':' ||
                      to_char(b.start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) < 2
        ORDER BY b.start_at
        LIMIT ${BATCH}`,
      [now, earliest, latest, lead],
    );
  }

  private async remind(s: DueSession, lead: '24h' | '1h'): Promise<number> {
    const startAt = new Date(s.startAt).toISOString();
    const durationMinutes = Math.round((new Date(s.endAt).getTime() - new Date(s.startAt).getTime()) / 60_000);
    const outcomes = await this.dataSource.transaction(async (m) => {
      const names = await this.notifications.names(m, [s.clientId, s.lawyerId]);
      return this.notifications.notifyMany(
        m,
        (['CLIENT', 'LAWYER'] as const).map((side) => ({
          userId: side === 'CLIENT' ? s.clientId : s.lawyerId,
          kind: 'session.reminder' as const,
          params: {
            sessionId: s.id,
            side,
            offeringTitle: s.offeringTitle,
            counterpartName: names.get(side === 'CLIENT' ? s.lawyerId : s.clientId) ?? 'the other party',
            startAt,
            durationMinutes,
            lead,
          },
          dedupeKey: `reminder:${lead}:${s.id}:${startAt}`,
        })),
      );
    });
    return outcomes.filter((o) => o === 'sent' || o === 'in_app_only').length;
  }
}
