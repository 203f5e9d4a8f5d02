import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '@lm/domain';

export const USER_STATUSES = ['ACTIVE', 'SUSPENDED'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** citext: unique case-insensitively. */
  @Column({ type: 'citext' })
  email: string;

  /** argon2id PHC string; never leaves the identity module. */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Column({ type: 'text' })
  role: Role;

  @Column({ type: 'text' })
  status: UserStatus;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  /** IANA zone name, e.g. Europe/Paris. */
  @Column({ name: 'time_zone', type: 'text' })
  timeZone: string;

  /** BCP 47 language tag, e.g. en or pt-BR. */
  @Column({ type: 'text' })
  locale: string;

  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  /** The terms-of-service and privacy-policy version accepted at sign-up (null: admin- or CLI-created, or older accounts). */
  @Column({ name: 'terms_version', type: 'text', nullable: true })
  termsVersion: string | null;

  @Column({ name: 'terms_accepted_at', type: 'timestamptz', nullable: true })
  termsAcceptedAt: Date | null;

  /** Set by the payments module when a Stripe customer is created. */
  @Column({ name: 'stripe_customer_id', type: 'text', nullable: true })
  stripeCustomerId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
