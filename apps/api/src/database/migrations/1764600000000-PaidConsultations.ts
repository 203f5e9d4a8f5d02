import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Paid consultations: offerings and availability (marketplace), `legal_sessions` and their
 * `session_events` (consultations), Stripe intake, payments and refunds (payments), and the
 * double-entry ledger.
 *
 * Invariants held by the database itself:
 * - No double booking: an exclusion constraint over (lawyer, [start_at, end_at)) of every
 *   session that holds its time (all but CANCELLED and EXPIRED).
 * - A session freezes what was sold (offering title, duration, price, currency, lawyer):
 *   editing the offering later changes nothing already sold.
 * - `session_events`, `stripe_events`, `ledger_entries` and `ledger_transactions` are
 *   append-only (`reject_mutation()`).
 * - Every ledger transaction sums to zero per currency: a deferred constraint trigger checks
 *   the sums when the writing transaction commits, so entries are inserted one by one but can
 *   never be committed unbalanced.
 * - The Stripe Customer of a client is `users.stripe_customer_id` (unique, from the identity
 *   migration), created once per client.
 * - Idempotency: one `stripe_events` row per Stripe event id, one payment per session and per
 *   Checkout Session, one refund per Stripe refund id, one ledger transaction per
 *   (kind, payment/refund).
 */
export class PaidConsultations1764600000000 implements MigrationInterface {
  name = 'PaidConsultations1764600000000';

  async up(q: QueryRunner): Promise<void> {
    // ---------------------------------------------------------------- marketplace
    await q.query(`
      CREATE TABLE offerings (
        id               uuid        NOT NULL DEFAULT gen_random_uuid(),
        lawyer_id        uuid        NOT NULL,
        title            text        NOT NULL,
        description      text        NOT NULL DEFAULT '',
        duration_minutes integer     NOT NULL,
        price_minor      bigint      NOT NULL,
        currency         text        NOT NULL,
        active           boolean     NOT NULL DEFAULT true,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_offerings PRIMARY KEY (id),
        CONSTRAINT fk_offerings_lawyer FOREIGN KEY (lawyer_id) REFERENCES lawyer_profiles (user_id) ON DELETE CASCADE,
        CONSTRAINT ck_offerings_title CHECK (char_length(title) BETWEEN 1 AND 120),
        CONSTRAINT ck_offerings_description CHECK (char_length(description) <= 2000),
        CONSTRAINT ck_offerings_duration CHECK (duration_minutes BETWEEN 15 AND 240),
        CONSTRAINT ck_offerings_price CHECK (price_minor BETWEEN 1 AND 100000000),
        CONSTRAINT ck_offerings_currency CHECK (currency ~ '^[A-Z]{3}$')
      )
    `);
    await q.query('CREATE INDEX ix_offerings_lawyer ON offerings (lawyer_id, active, price_minor)');

    // One row per lawyer who has set availability. `weekly` is a JSON array of
    // { weekday 1-7, start 'HH:MM', end 'HH:MM' } in the lawyer's zone (validated by the API).
    // `next_available_at` is the start of the earliest free slot of any active offering,
    // maintained by a job after every change (directory sort "soonest availability").
    await q.query(`
      CREATE TABLE lawyer_availability (
        lawyer_id              uuid        NOT NULL,
        time_zone              text        NOT NULL,
        weekly                 jsonb       NOT NULL DEFAULT '[]',
        buffer_before_minutes  integer     NOT NULL DEFAULT 0,
        buffer_after_minutes   integer     NOT NULL DEFAULT 0,
        minimum_notice_minutes integer     NOT NULL DEFAULT 0,
        max_sessions_per_day   integer     NULL,
        next_available_at      timestamptz NULL,
        updated_at             timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_lawyer_availability PRIMARY KEY (lawyer_id),
        CONSTRAINT fk_lawyer_availability_lawyer FOREIGN KEY (lawyer_id) REFERENCES lawyer_profiles (user_id) ON DELETE CASCADE,
        CONSTRAINT ck_lawyer_availability_time_zone CHECK (char_length(time_zone) BETWEEN 1 AND 64),
        CONSTRAINT ck_lawyer_availability_weekly CHECK (jsonb_typeof(weekly) = 'array' AND jsonb_array_length(weekly) <= 100),
        CONSTRAINT ck_lawyer_availability_buffers CHECK (buffer_before_minutes BETWEEN 0 AND 240 AND buffer_after_minutes BETWEEN 0 AND 240),
        CONSTRAINT ck_lawyer_availability_notice CHECK (minimum_notice_minutes BETWEEN 0 AND 43200),
        CONSTRAINT ck_lawyer_availability_max_per_day CHECK (max_sessions_per_day IS NULL OR max_sessions_per_day BETWEEN 1 AND 48)
      )
    `);
    await q.query('CREATE INDEX ix_lawyer_availability_next ON lawyer_availability (next_available_at)');

    // A date override replaces the weekly rules on one local date; `windows` = [] means "off".
    await q.query(`
      CREATE TABLE availability_overrides (
        lawyer_id uuid  NOT NULL,
        date      date  NOT NULL,
        windows   jsonb NOT NULL DEFAULT '[]',
        CONSTRAINT pk_availability_overrides PRIMARY KEY (lawyer_id, date),
        CONSTRAINT fk_availability_overrides_lawyer FOREIGN KEY (lawyer_id) REFERENCES lawyer_availability (lawyer_id) ON DELETE CASCADE,
        CONSTRAINT ck_availability_overrides_windows CHECK (jsonb_typeof(windows) = 'array' AND jsonb_array_length(windows) <= 12)
      )
    `);

    await q.query(`
      CREATE TABLE availability_blackouts (
        id        uuid        NOT NULL DEFAULT gen_random_uuid(),
        lawyer_id uuid        NOT NULL,
        start_at  timestamptz NOT NULL,
        end_at    timestamptz NOT NULL,
        reason    text        NOT NULL DEFAULT '',
        CONSTRAINT pk_availability_blackouts PRIMARY KEY (id),
        CONSTRAINT fk_availability_blackouts_lawyer FOREIGN KEY (lawyer_id) REFERENCES lawyer_availability (lawyer_id) ON DELETE CASCADE,
        CONSTRAINT ck_availability_blackouts_range CHECK (end_at > start_at),
        CONSTRAINT ck_availability_blackouts_reason CHECK (char_length(reason) <= 200)
      )
    `);
    await q.query('CREATE INDEX ix_availability_blackouts_lawyer ON availability_blackouts (lawyer_id, end_at)');

    // ---------------------------------------------------------------- consultations
    await q.query(`
      CREATE TABLE legal_sessions (
        id                         uuid        NOT NULL DEFAULT gen_random_uuid(),
        client_id                  uuid        NOT NULL,
        lawyer_id                  uuid        NOT NULL,
        offering_id                uuid        NOT NULL,
        offering_title             text        NOT NULL,
        duration_minutes           integer     NOT NULL,
        price_minor                bigint      NOT NULL,
        currency                   text        NOT NULL,
        status                     text        NOT NULL DEFAULT 'PENDING_PAYMENT',
        start_at                   timestamptz NULL,
        end_at                     timestamptz NULL,
        stripe_checkout_session_id text        NULL,
        checkout_expires_at        timestamptz NOT NULL,
        paid_at                    timestamptz NULL,
        cancelled_at               timestamptz NULL,
        cancelled_by               uuid        NULL,
        completed_at               timestamptz NULL,
        version                    integer     NOT NULL DEFAULT 1,
        created_at                 timestamptz NOT NULL DEFAULT now(),
        updated_at                 timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_legal_sessions PRIMARY KEY (id),
        CONSTRAINT uq_legal_sessions_checkout UNIQUE (stripe_checkout_session_id),
        CONSTRAINT fk_legal_sessions_client FOREIGN KEY (client_id) REFERENCES users (id),
        CONSTRAINT fk_legal_sessions_lawyer FOREIGN KEY (lawyer_id) REFERENCES users (id),
        CONSTRAINT fk_legal_sessions_offering FOREIGN KEY (offering_id) REFERENCES offerings (id),
        CONSTRAINT ck_legal_sessions_parties CHECK (client_id <> lawyer_id),
        CONSTRAINT ck_legal_sessions_duration CHECK (duration_minutes BETWEEN 15 AND 240),
        CONSTRAINT ck_legal_sessions_price CHECK (price_minor > 0),
        CONSTRAINT ck_legal_sessions_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_legal_sessions_status CHECK (status IN (
          'PENDING_PAYMENT', 'PAID', 'SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'EXPIRED', 'NO_SHOW_CLIENT', 'NO_SHOW_LAWYER'
        )),
        CONSTRAINT ck_legal_sessions_times CHECK (
          (start_at IS NULL AND end_at IS NULL)
          OR (start_at IS NOT NULL AND end_at = start_at + make_interval(mins => duration_minutes))
        ),
        CONSTRAINT ck_legal_sessions_scheduled_has_time CHECK (
          status NOT IN ('SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'NO_SHOW_CLIENT', 'NO_SHOW_LAWYER') OR start_at IS NOT NULL
        ),
        CONSTRAINT ck_legal_sessions_paid CHECK (status IN ('PENDING_PAYMENT', 'EXPIRED') OR paid_at IS NOT NULL OR status = 'CANCELLED'),
        CONSTRAINT ex_legal_sessions_no_double_booking EXCLUDE USING gist (
          lawyer_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&
        ) WHERE (start_at IS NOT NULL AND status NOT IN ('CANCELLED', 'EXPIRED'))
      )
    `);
    await q.query('CREATE INDEX ix_legal_sessions_client ON legal_sessions (client_id, created_at DESC, id DESC)');
    await q.query('CREATE INDEX ix_legal_sessions_lawyer_start ON legal_sessions (lawyer_id, start_at) WHERE start_at IS NOT NULL');
    await q.query('CREATE INDEX ix_legal_sessions_lawyer_created ON legal_sessions (lawyer_id, created_at DESC, id DESC)');
    await q.query(
      `CREATE INDEX ix_legal_sessions_pending_expiry ON legal_sessions (checkout_expires_at) WHERE status = 'PENDING_PAYMENT'`,
    );

    await q.query(`
      CREATE TABLE session_events (
        id          bigint      GENERATED ALWAYS AS IDENTITY,
        session_id  uuid        NOT NULL,
        action      text        NOT NULL,
        from_status text        NULL,
        to_status   text        NOT NULL,
        actor_id    uuid        NULL,
        actor_role  text        NULL,
        payload     jsonb       NOT NULL DEFAULT '{}',
        occurred_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_session_events PRIMARY KEY (id),
        CONSTRAINT fk_session_events_session FOREIGN KEY (session_id) REFERENCES legal_sessions (id),
        CONSTRAINT ck_session_events_action CHECK (action ~ '^[a-z_]+$')
      )
    `);
    await q.query('CREATE INDEX ix_session_events_session ON session_events (session_id, id)');

    // ---------------------------------------------------------------- payments
    // Every Stripe event we accepted (webhook or reconciliation), kept verbatim.
    await q.query(`
      CREATE TABLE stripe_events (
        id          text        NOT NULL,
        type        text        NOT NULL,
        livemode    boolean     NOT NULL,
        created_at  timestamptz NOT NULL,
        source      text        NOT NULL,
        payload     jsonb       NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_stripe_events PRIMARY KEY (id),
        CONSTRAINT ck_stripe_events_source CHECK (source IN ('webhook', 'reconciliation'))
      )
    `);

    await q.query(`
      CREATE TABLE payments (
        id                         uuid        NOT NULL DEFAULT gen_random_uuid(),
        session_id                 uuid        NOT NULL,
        client_id                  uuid        NOT NULL,
        lawyer_id                  uuid        NOT NULL,
        stripe_checkout_session_id text        NOT NULL,
        stripe_payment_intent_id   text        NULL,
        amount_minor               bigint      NOT NULL,
        currency                   text        NOT NULL,
        refunded_minor             bigint      NOT NULL DEFAULT 0,
        source_event_id            text        NULL,
        created_at                 timestamptz NOT NULL DEFAULT now(),
        updated_at                 timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_payments PRIMARY KEY (id),
        CONSTRAINT uq_payments_session UNIQUE (session_id),
        CONSTRAINT uq_payments_checkout UNIQUE (stripe_checkout_session_id),
        CONSTRAINT fk_payments_session FOREIGN KEY (session_id) REFERENCES legal_sessions (id),
        CONSTRAINT ck_payments_amount CHECK (amount_minor > 0),
        CONSTRAINT ck_payments_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_payments_refunded CHECK (refunded_minor BETWEEN 0 AND amount_minor)
      )
    `);
    await q.query('CREATE INDEX ix_payments_created ON payments (created_at DESC, id DESC)');
    await q.query('CREATE INDEX ix_payments_intent ON payments (stripe_payment_intent_id)');

    // A refund we asked for (PENDING until Stripe confirms) or one Stripe told us about.
    await q.query(`
      CREATE TABLE refunds (
        id               uuid        NOT NULL DEFAULT gen_random_uuid(),
        payment_id       uuid        NOT NULL,
        session_id       uuid        NOT NULL,
        amount_minor     bigint      NOT NULL,
        currency         text        NOT NULL,
        reason           text        NOT NULL,
        status           text        NOT NULL DEFAULT 'PENDING',
        stripe_refund_id text        NULL,
        failure_reason   text        NULL,
        requested_by     uuid        NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_refunds PRIMARY KEY (id),
        CONSTRAINT uq_refunds_stripe UNIQUE (stripe_refund_id),
        CONSTRAINT fk_refunds_payment FOREIGN KEY (payment_id) REFERENCES payments (id),
        CONSTRAINT fk_refunds_session FOREIGN KEY (session_id) REFERENCES legal_sessions (id),
        CONSTRAINT ck_refunds_amount CHECK (amount_minor > 0),
        CONSTRAINT ck_refunds_status CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
        CONSTRAINT ck_refunds_reason CHECK (char_length(reason) BETWEEN 1 AND 200)
      )
    `);
    await q.query('CREATE INDEX ix_refunds_payment ON refunds (payment_id)');
    await q.query('CREATE INDEX ix_refunds_session ON refunds (session_id)');

    // ---------------------------------------------------------------- ledger
    await q.query(`
      CREATE TABLE ledger_transactions (
        id          uuid        NOT NULL DEFAULT gen_random_uuid(),
        kind        text        NOT NULL,
        session_id  uuid        NULL,
        payment_id  uuid        NULL,
        refund_id   uuid        NULL,
        reverses_id uuid        NULL,
        description text        NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_ledger_transactions PRIMARY KEY (id),
        CONSTRAINT fk_ledger_transactions_reverses FOREIGN KEY (reverses_id) REFERENCES ledger_transactions (id),
        CONSTRAINT ck_ledger_transactions_kind CHECK (kind IN ('PAYMENT', 'REFUND', 'ADJUSTMENT', 'PAYOUT')),
        CONSTRAINT ck_ledger_transactions_description CHECK (char_length(description) BETWEEN 1 AND 500)
      )
    `);
    await q.query(`CREATE UNIQUE INDEX uq_ledger_transactions_payment ON ledger_transactions (payment_id) WHERE kind = 'PAYMENT'`);
    await q.query(`CREATE UNIQUE INDEX uq_ledger_transactions_refund ON ledger_transactions (refund_id) WHERE kind = 'REFUND'`);
    await q.query('CREATE INDEX ix_ledger_transactions_session ON ledger_transactions (session_id)');

    // Signed amounts: positive = debit, negative = credit. `party_id` names whose payable it is
    // (lawyer, partner); `rate_bps` freezes the rate that produced the amount (fee, commission).
    await q.query(`
      CREATE TABLE ledger_entries (
        id             bigint      GENERATED ALWAYS AS IDENTITY,
        transaction_id uuid        NOT NULL,
        account        text        NOT NULL,
        party_id       uuid        NULL,
        amount_minor   bigint      NOT NULL,
        currency       text        NOT NULL,
        rate_bps       integer     NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_ledger_entries PRIMARY KEY (id),
        CONSTRAINT fk_ledger_entries_transaction FOREIGN KEY (transaction_id) REFERENCES ledger_transactions (id),
        CONSTRAINT ck_ledger_entries_account CHECK (account IN (
          'stripe_clearing', 'platform_revenue', 'lawyer_payable', 'partner_commission_payable'
        )),
        CONSTRAINT ck_ledger_entries_party CHECK ((account IN ('lawyer_payable', 'partner_commission_payable')) = (party_id IS NOT NULL)),
        CONSTRAINT ck_ledger_entries_amount CHECK (amount_minor <> 0),
        CONSTRAINT ck_ledger_entries_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_ledger_entries_rate CHECK (rate_bps IS NULL OR rate_bps BETWEEN 0 AND 10000)
      )
    `);
    await q.query('CREATE INDEX ix_ledger_entries_transaction ON ledger_entries (transaction_id)');
    await q.query('CREATE INDEX ix_ledger_entries_account ON ledger_entries (account, party_id, currency)');

    await q.query(`
      CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        unbalanced record;
      BEGIN
        SELECT currency, sum(amount_minor) AS total INTO unbalanced
          FROM ledger_entries
         WHERE transaction_id = NEW.transaction_id
         GROUP BY currency
        HAVING sum(amount_minor) <> 0
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'ledger transaction % does not balance in %: sum is %', NEW.transaction_id, unbalanced.currency, unbalanced.total
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END
      $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced()`);

    for (const table of ['session_events', 'stripe_events', 'ledger_transactions', 'ledger_entries']) {
      await q.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'ledger_entries',
      'ledger_transactions',
      'refunds',
      'payments',
      'stripe_events',
      'session_events',
      'legal_sessions',
      'availability_blackouts',
      'availability_overrides',
      'lawyer_availability',
      'offerings',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query('DROP FUNCTION ledger_check_balanced()');
  }
}
