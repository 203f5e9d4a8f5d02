import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A lawyer no longer moves a client's session: they propose a new time, which the client accepts
 * or declines. The one open proposal of a session lives on its row (consultations-core owns
 * `legal_sessions`); every step is also a `session_events` row. The proposal is cleared by any
 * later change of the session (its acceptance, a decline, a withdrawal, a cancellation).
 */
export class RescheduleProposals1764670000000 implements MigrationInterface {
  name = 'RescheduleProposals1764670000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE legal_sessions
        ADD COLUMN proposed_start_at timestamptz NULL,
        ADD COLUMN proposed_at timestamptz NULL,
        ADD CONSTRAINT ck_legal_sessions_proposal CHECK ((proposed_start_at IS NULL) = (proposed_at IS NULL))`);
    // Finding a client's open checkout for an offering (one pending checkout per client and offering).
    await q.query(`
      CREATE INDEX ix_legal_sessions_pending_checkout ON legal_sessions (client_id, offering_id)
       WHERE status = 'PENDING_PAYMENT'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX ix_legal_sessions_pending_checkout');
    await q.query(`
      ALTER TABLE legal_sessions
        DROP CONSTRAINT ck_legal_sessions_proposal,
        DROP COLUMN proposed_at,
        DROP COLUMN proposed_start_at`);
  }
}
