import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Role } from '@lm/domain';
import { DataSource, EntityManager } from 'typeorm';
import { EmailTaken } from './identity.errors';
import { User, type UserStatus } from './user.entity';

export interface NewUser {
  email: string;
  passwordHash: string;
  role: Role;
  displayName: string;
  timeZone: string;
  locale: string;
  termsVersion?: string | null;
  termsAcceptedAt?: Date | null;
}

export interface UserSearch {
  /** Substring of the email or display name (case-insensitive). */
  q?: string;
  role?: Role;
  status?: UserStatus;
  page: number;
  pageSize: number;
}

/** The caller as the guard needs it, read fresh on every request. */
export interface SessionUser {
  id: string;
  email: string;
  role: Role;
  status: UserStatus;
}

@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, user: NewUser): Promise<User> {
    // ON CONFLICT DO NOTHING rather than catching the unique violation: a failed INSERT would
    // be logged by TypeORM with its parameters, the password hash among them.
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(User)
      .values({ ...user, status: 'ACTIVE' })
      .orIgnore()
      .returning(['id'])
      .execute();
    const id = (result.raw as { id: string }[])[0]?.id;
    if (!id) throw new EmailTaken();
    return manager.getRepository(User).findOneByOrFail({ id });
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.getRepository(User).findOneBy({ id });
  }

  /** Case-insensitive (citext). */
  findByEmail(email: string): Promise<User | null> {
    return this.dataSource.manager.getRepository(User).findOneBy({ email });
  }

  /**
   * Locks the row for a status or credential change in the running transaction. FOR NO KEY
   * UPDATE: these changes never touch the id, so rows referencing the user (foreign keys take
   * FOR KEY SHARE) are not held up behind them, nor deadlock with them.
   */
  findByIdForUpdate(manager: EntityManager, id: string): Promise<User | null> {
    return manager.getRepository(User).createQueryBuilder('u').setLock('for_no_key_update').where('u.id = :id', { id }).getOne();
  }

  /**
   * The user behind an access token: only while the sign-in (refresh family `sessionId`) it
   * came from has not been revoked, so logout, reuse detection and password changes end
   * outstanding access tokens at once too.
   */
  async findForSession(userId: string, sessionId: string): Promise<SessionUser | null> {
    const rows: SessionUser[] = await this.dataSource.query(
      `SELECT u.id, u.email::text AS email, u.role, u.status
         FROM users u
        WHERE u.id = $1
          AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = $2 AND r.revoked_at IS NOT NULL)`,
      [userId, sessionId],
    );
    return rows[0] ?? null;
  }

  async update(manager: EntityManager, id: string, patch: Partial<Pick<User, 'displayName' | 'timeZone' | 'locale' | 'passwordHash' | 'status'>>): Promise<User> {
    await manager.getRepository(User).update({ id }, patch);
    return manager.getRepository(User).findOneByOrFail({ id });
  }

  /** The user's Stripe Customer id (set once by `setStripeCustomerIdOnce`), or null. */
  async stripeCustomerId(manager: EntityManager, id: string): Promise<string | null> {
    const rows: { id: string | null }[] = await manager.query('SELECT stripe_customer_id AS id FROM users WHERE id = $1', [id]);
    return rows[0]?.id ?? null;
  }

  /**
   * Stores the Stripe Customer unless the user already has one: the first stored wins (a
   * concurrent writer's UPDATE waits for ours, re-checks the condition and changes nothing).
   */
  async setStripeCustomerIdOnce(manager: EntityManager, id: string, customerId: string): Promise<void> {
    await manager.query('UPDATE users SET stripe_customer_id = $2, updated_at = now() WHERE id = $1 AND stripe_customer_id IS NULL', [
      id,
      customerId,
    ]);
  }

  /** Sets email_verified_at unless already set. True when this call verified it. */
  /** Whether the account's email address has been verified (false for an unknown id). */
  async isEmailVerified(manager: EntityManager, id: string): Promise<boolean> {
    const rows: { verified: boolean }[] = await manager.query('SELECT email_verified_at IS NOT NULL AS verified FROM users WHERE id = $1', [id]);
    return rows[0]?.verified ?? false;
  }

  async markEmailVerified(manager: EntityManager, id: string): Promise<boolean> {
    const [, count] = (await manager.query(
      `UPDATE users SET email_verified_at = now(), updated_at = now() WHERE id = $1 AND email_verified_at IS NULL`,
      [id],
    )) as [unknown[], number];
    return count > 0;
  }

  async search(s: UserSearch): Promise<{ items: User[]; total: number }> {
    const qb = this.dataSource.manager.getRepository(User).createQueryBuilder('u');
    if (s.q) {
      const pattern = `%${s.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere('(u.email ILIKE :pattern OR u.display_name ILIKE :pattern)', { pattern });
    }
    if (s.role) qb.andWhere('u.role = :role', { role: s.role });
    if (s.status) qb.andWhere('u.status = :status', { status: s.status });
    const [items, total] = await qb
      .orderBy('u.created_at', 'DESC')
      .addOrderBy('u.id', 'DESC')
      .skip((s.page - 1) * s.pageSize)
      .take(s.pageSize)
      .getManyAndCount();
    return { items, total };
  }
}
