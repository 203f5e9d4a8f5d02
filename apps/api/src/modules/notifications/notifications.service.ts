import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit';
import { MailService } from '../mail';
import { NOTIFICATION_CATEGORY, type NotificationKind, type NotificationParams } from './notification-kinds';
import { NotificationNotFound } from './notifications.errors';
import { NotificationsRepository, type DirectoryUser, type EmailPreferences, type NotificationRow } from './notifications.repository';
import { renderMessage } from './templates';

export interface Notify<K extends NotificationKind> {
  userId: string;
  kind: K;
  params: NotificationParams[K];
  /**
   * Makes the notification happen at most once per user: a second notify with the same key
   * writes nothing (no in-app row, no email). Reminders use `reminder:24h:<session>:<start>`.
   */
  dedupeKey?: string;
}

export type NotifyOutcome = 'sent' | 'in_app_only' | 'duplicate' | 'no_recipient';

/**
 * The one way a user is told something: an in-app notification and (unless the user muted
 * that non-essential category) an email through the mail outbox, both written in the caller's
 * transaction, so a message exists if and only if the change that causes it commits. Rendered
 * from the kind's template in the recipient's time zone and locale (users.time_zone/locale).
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: NotificationsRepository,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async notify<K extends NotificationKind>(manager: EntityManager, input: Notify<K>): Promise<NotifyOutcome> {
    const user = (await this.repo.users(manager, [input.userId])).get(input.userId);
    return this.notifyUser(manager, user, input);
  }

  /** `notify` for several users at once (one directory read). */
  async notifyMany(manager: EntityManager, inputs: Notify<NotificationKind>[]): Promise<NotifyOutcome[]> {
    const users = await this.repo.users(manager, [...new Set(inputs.map((i) => i.userId))]);
    const outcomes: NotifyOutcome[] = [];
    for (const input of inputs) outcomes.push(await this.notifyUser(manager, users.get(input.userId), input));
    return outcomes;
  }

  /** Display names of users (for messages that name the other party). */
  async names(manager: EntityManager, ids: string[]): Promise<Map<string, string>> {
    const users = await this.repo.users(manager, ids);
    return new Map([...users.values()].map((u) => [u.id, u.displayName]));
  }

  private async notifyUser<K extends NotificationKind>(manager: EntityManager, user: DirectoryUser | undefined, input: Notify<K>): Promise<NotifyOutcome> {
    if (!user) {
      this.logger.warn(`Notification ${input.kind} for unknown user ${input.userId}; nothing sent`);
      return 'no_recipient';
    }
    const message = renderMessage(input.kind, input.params, { name: user.displayName, timeZone: user.timeZone, locale: user.locale }, this.config.PUBLIC_URL);
    const subject = message.subject.replace(/[\r\n]+/g, ' ');
    const row = await this.repo.insert(manager, {
      userId: user.id,
      kind: input.kind,
      title: subject,
      body: message.summary,
      linkPath: message.linkPath,
      params: input.params,
      dedupeKey: input.dedupeKey ?? null,
      createdAt: this.clock.now(),
    });
    if (!row) return 'duplicate';
    if (!(await this.emailWanted(manager, user.id, input.kind))) return 'in_app_only';
    await this.mail.enqueue(manager, { to: user.email, template: input.kind, subject, text: message.text, html: message.html, userId: user.id });
    return 'sent';
  }

  private async emailWanted(manager: EntityManager, userId: string, kind: NotificationKind): Promise<boolean> {
    const category = NOTIFICATION_CATEGORY[kind];
    if (category === 'essential') return true;
    const prefs = await this.repo.preferences(manager, userId);
    return category === 'reminders' ? prefs.emailReminders : prefs.emailSessionUpdates;
  }

  list(actor: AuthUser, filter: { unread?: boolean; page: number; pageSize: number }): Promise<{ items: NotificationRow[]; total: number }> {
    return this.repo.list(actor.id, filter);
  }

  unreadCount(actor: AuthUser): Promise<number> {
    return this.repo.unreadCount(actor.id);
  }

  /** Marks one of the caller's notifications read; 404 NOTIFICATION_NOT_FOUND for anyone else's. */
  async markRead(actor: AuthUser, id: string): Promise<NotificationRow> {
    const row = await this.repo.markRead(actor.id, id, this.clock.now());
    if (!row) throw new NotificationNotFound();
    return row;
  }

  /** Marks every unread notification of the caller read; how many were unread. */
  markAllRead(actor: AuthUser): Promise<number> {
    return this.repo.markAllRead(actor.id, this.clock.now());
  }

  preferences(actor: AuthUser): Promise<EmailPreferences> {
    return this.repo.preferences(this.dataSource.manager, actor.id);
  }

  async updatePreferences(actor: AuthUser, prefs: EmailPreferences): Promise<EmailPreferences> {
    await this.dataSource.transaction(async (m) => {
      const before = await this.repo.preferences(m, actor.id);
      await this.repo.savePreferences(m, actor.id, prefs, this.clock.now());
      // audit: notification.preferences_updated
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'notification.preferences_updated',
        subjectType: 'user',
        subjectId: actor.id,
        payload: { from: before, to: prefs },
      });
    });
    return this.repo.preferences(this.dataSource.manager, actor.id);
  }
}
