import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The support module (issue 13): tickets from any signed-in user, a message thread between the
 * reporter and the admins, and the ticket's own history.
 *
 * - `support_tickets`: the mutable state of a ticket (status, assignee, the decision).
 *   `uq_support_tickets_no_show` makes a no-show report once per session and side: a second
 *   report of the same kind, however concurrent, fails on the index (409 NO_SHOW_ALREADY_REPORTED).
 *   A no-show ticket always names its session; a closed ticket always has its close time.
 * - `support_messages` keeps the author's role as it was when they wrote (ADMIN: the support
 *   team's side of the thread).
 * - `support_messages` and `support_ticket_events` are append-only (`reject_mutation()`): what
 *   was said and what was done to a ticket is never rewritten.
 */
export class Support1764720000000 implements MigrationInterface {
  name = 'Support1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE support_tickets (
        id              uuid        NOT NULL DEFAULT gen_random_uuid(),
        reporter_id     uuid        NOT NULL,
        category        text        NOT NULL,
        session_id      uuid,
        subject         text        NOT NULL,
        description     text        NOT NULL,
        status          text        NOT NULL DEFAULT 'OPEN',
        assignee_id     uuid,
        resolution      text,
        resolution_note text,
        resolved_by     uuid,
        resolved_at     timestamptz,
        created_at      timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        last_message_at timestamptz,
        CONSTRAINT pk_support_tickets PRIMARY KEY (id),
        CONSTRAINT fk_support_tickets_reporter FOREIGN KEY (reporter_id) REFERENCES users (id),
        CONSTRAINT fk_support_tickets_session FOREIGN KEY (session_id) REFERENCES legal_sessions (id),
        CONSTRAINT fk_support_tickets_assignee FOREIGN KEY (assignee_id) REFERENCES users (id),
        CONSTRAINT fk_support_tickets_resolved_by FOREIGN KEY (resolved_by) REFERENCES users (id),
        CONSTRAINT ck_support_tickets_category CHECK (category IN ('NO_SHOW_LAWYER', 'NO_SHOW_CLIENT', 'BILLING', 'TECHNICAL', 'ABUSE', 'OTHER')),
        CONSTRAINT ck_support_tickets_status CHECK (status IN ('OPEN', 'IN_PROGRESS', 'RESOLVED', 'REJECTED')),
        CONSTRAINT ck_support_tickets_resolution CHECK (resolution IS NULL OR resolution IN ('LAWYER_NO_SHOW', 'CLIENT_NO_SHOW', 'DISMISSED')),
        CONSTRAINT ck_support_tickets_subject CHECK (length(subject) BETWEEN 1 AND 140),
        CONSTRAINT ck_support_tickets_description CHECK (length(description) BETWEEN 10 AND 5000),
        CONSTRAINT ck_support_tickets_note CHECK (resolution_note IS NULL OR length(resolution_note) <= 2000),
        CONSTRAINT ck_support_tickets_no_show_session CHECK (category NOT IN ('NO_SHOW_LAWYER', 'NO_SHOW_CLIENT') OR session_id IS NOT NULL),
        CONSTRAINT ck_support_tickets_closed CHECK ((status IN ('RESOLVED', 'REJECTED')) = (resolved_at IS NOT NULL)),
        CONSTRAINT ck_support_tickets_decided CHECK (resolution IS NULL OR status IN ('RESOLVED', 'REJECTED'))
      )
    `);
    await q.query(`
      CREATE UNIQUE INDEX uq_support_tickets_no_show ON support_tickets (session_id, category)
        WHERE category IN ('NO_SHOW_LAWYER', 'NO_SHOW_CLIENT')`);
    await q.query(`CREATE INDEX ix_support_tickets_reporter ON support_tickets (reporter_id, updated_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_support_tickets_activity ON support_tickets (updated_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_support_tickets_status ON support_tickets (status, updated_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_support_tickets_assignee ON support_tickets (assignee_id, updated_at DESC, id DESC) WHERE assignee_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix_support_tickets_session ON support_tickets (session_id) WHERE session_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE support_messages (
        id          uuid        NOT NULL DEFAULT gen_random_uuid(),
        ticket_id   uuid        NOT NULL,
        author_id   uuid        NOT NULL,
        author_role text        NOT NULL,
        body        text        NOT NULL,
        created_at  timestamptz NOT NULL,
        CONSTRAINT pk_support_messages PRIMARY KEY (id),
        CONSTRAINT fk_support_messages_ticket FOREIGN KEY (ticket_id) REFERENCES support_tickets (id),
        CONSTRAINT fk_support_messages_author FOREIGN KEY (author_id) REFERENCES users (id),
        CONSTRAINT ck_support_messages_author_role CHECK (author_role IN ('CLIENT', 'LAWYER', 'PARTNER', 'ADMIN')),
        CONSTRAINT ck_support_messages_body CHECK (length(body) BETWEEN 1 AND 5000)
      )
    `);
    await q.query(`CREATE INDEX ix_support_messages_ticket ON support_messages (ticket_id, created_at, id)`);
    await q.query(`
      CREATE TRIGGER support_messages_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON support_messages
        FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()`);

    await q.query(`
      CREATE TABLE support_ticket_events (
        id         bigserial   NOT NULL,
        ticket_id  uuid        NOT NULL,
        action     text        NOT NULL,
        actor_id   uuid,
        payload    jsonb       NOT NULL,
        created_at timestamptz NOT NULL,
        CONSTRAINT pk_support_ticket_events PRIMARY KEY (id),
        CONSTRAINT fk_support_ticket_events_ticket FOREIGN KEY (ticket_id) REFERENCES support_tickets (id),
        CONSTRAINT ck_support_ticket_events_action CHECK (action IN ('opened', 'assigned', 'status_changed', 'no_show_resolved')),
        CONSTRAINT ck_support_ticket_events_payload CHECK (jsonb_typeof(payload) = 'object')
      )
    `);
    await q.query(`CREATE INDEX ix_support_ticket_events_ticket ON support_ticket_events (ticket_id, id)`);
    await q.query(`
      CREATE TRIGGER support_ticket_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON support_ticket_events
        FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['support_ticket_events', 'support_messages', 'support_tickets']) await q.query(`DROP TABLE ${t}`);
  }
}
