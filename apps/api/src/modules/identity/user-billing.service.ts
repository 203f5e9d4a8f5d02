import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { UsersRepository } from './users.repository';

/**
 * What the payments module may know and set about a user: the Stripe Customer id (kept on the
 * `users` row, which only this module writes) and the contact details Stripe shows on a
 * receipt. Never credentials.
 */
@Injectable()
export class UserBillingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
  ) {}

  stripeCustomerId(userId: string, manager: EntityManager = this.dataSource.manager): Promise<string | null> {
    return this.users.stripeCustomerId(manager, userId);
  }

  /** Whether the user may pay: payments (and the emails about them) need a verified address. */
  isEmailVerified(userId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return this.users.isEmailVerified(manager, userId);
  }

  /** Stores the id unless the user already has one; callers read it back to use the winner. */
  setStripeCustomerIdOnce(userId: string, customerId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    return this.users.setStripeCustomerIdOnce(manager, userId, customerId);
  }
}
