import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * State of the local Stripe sandbox (used when STRIPE_SECRET_KEY is unset): the Stripe objects
 * it created (customers, checkout sessions, payment intents, charges, refunds, events) as
 * Stripe-shaped JSON, and the saved results of idempotent requests. Kept in the database so a
 * restart neither forgets an open checkout nor replays an idempotency key differently. Never
 * used with a real Stripe account.
 */
export class StripeSandbox1764620000000 implements MigrationInterface {
  name = 'StripeSandbox1764620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stripe_sandbox_objects (
        id         text        NOT NULL,
        object     text        NOT NULL,
        created    bigint      NOT NULL,
        seq        bigint      GENERATED ALWAYS AS IDENTITY,
        data       jsonb       NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_stripe_sandbox_objects PRIMARY KEY (id),
        CONSTRAINT ck_stripe_sandbox_objects_object CHECK (object ~ '^[a-z_.]+$')
      )
    `);
    await q.query('CREATE INDEX ix_stripe_sandbox_objects_list ON stripe_sandbox_objects (object, created DESC, seq DESC)');
    await q.query(`
      CREATE TABLE stripe_sandbox_idempotency (
        key         text        NOT NULL,
        fingerprint text        NOT NULL,
        status      integer     NOT NULL,
        body        jsonb       NOT NULL,
        request_id  text        NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_stripe_sandbox_idempotency PRIMARY KEY (key)
      )
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE stripe_sandbox_idempotency');
    await q.query('DROP TABLE stripe_sandbox_objects');
  }
}
