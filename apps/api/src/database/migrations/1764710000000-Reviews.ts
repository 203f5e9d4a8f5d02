import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reviews module (issue 13): immutable reviews of completed, paid sessions, their
 * visibility, the lawyer's one response, moderation, reports, review windows and the rating
 * aggregate the directory ranks by.
 *
 * - `reviews`, `review_responses` and `review_moderation_decisions` never change
 *   (`reject_mutation()` refuses every UPDATE, DELETE and TRUNCATE): a review's text and rating
 *   are what its author wrote; moderation is a new decision row that changes visibility only.
 *   A review keeps the title of the offering it reviews (copied from the session at submission,
 *   frozen like the session's terms), so the public list reads no session.
 * - `review_states`: the mutable visibility of each review (published, hidden, response hidden).
 * - `review_windows`: one per COMPLETED session, with its absolute deadline; `published_at` once
 *   both reviews were published (both submitted, or the deadline passed).
 * - `review_reports`: reports of a review or its response, closed by a moderation decision.
 * - `lawyer_ratings`: the aggregate of visible client reviews per lawyer (count, sum,
 *   distribution, Bayesian score), updated in the transaction that publishes, hides or unhides.
 * - `lawyer_rating_summaries`: the read contract for other modules (the directory's SQL): the
 *   average (2 decimals), the count and the Bayesian score, both null while the lawyer has no
 *   visible review (the directory then sorts them after every rated lawyer).
 *
 * Sessions completed before this migration get their window here (completed_at + 14 days,
 * REVIEW_WINDOW_DAYS' default); the publish sweep closes them like any other.
 */
export class Reviews1764710000000 implements MigrationInterface {
  name = 'Reviews1764710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reviews (
        id          uuid        NOT NULL DEFAULT gen_random_uuid(),
        session_id  uuid        NOT NULL,
        offering_title text     NOT NULL,
        author_id   uuid        NOT NULL,
        subject_id  uuid        NOT NULL,
        author_side text        NOT NULL,
        rating      smallint    NOT NULL,
        comment     text        NOT NULL DEFAULT '',
        created_at  timestamptz NOT NULL,
        CONSTRAINT pk_reviews PRIMARY KEY (id),
        CONSTRAINT fk_reviews_session FOREIGN KEY (session_id) REFERENCES legal_sessions (id),
        CONSTRAINT fk_reviews_author FOREIGN KEY (author_id) REFERENCES users (id),
        CONSTRAINT fk_reviews_subject FOREIGN KEY (subject_id) REFERENCES users (id),
        CONSTRAINT uq_reviews_session_author UNIQUE (session_id, author_id),
        CONSTRAINT ck_reviews_author_side CHECK (author_side IN ('CLIENT', 'LAWYER')),
        CONSTRAINT ck_reviews_rating CHECK (rating BETWEEN 1 AND 5),
        CONSTRAINT ck_reviews_comment CHECK (char_length(comment) <= 2000),
        CONSTRAINT ck_reviews_not_self CHECK (author_id <> subject_id)
      )
    `);
    await q.query(`CREATE INDEX ix_reviews_author_created ON reviews (author_id, created_at DESC)`);
    await q.query(`CREATE INDEX ix_reviews_subject_created ON reviews (subject_id, created_at DESC)`);
    await q.query(`
      CREATE TRIGGER reviews_immutable BEFORE UPDATE OR DELETE OR TRUNCATE ON reviews
        FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()
    `);

    await q.query(`
      CREATE TABLE review_states (
        review_id       uuid        NOT NULL,
        subject_id      uuid        NOT NULL,
        author_side     text        NOT NULL,
        published_at    timestamptz,
        hidden          boolean     NOT NULL DEFAULT false,
        response_hidden boolean     NOT NULL DEFAULT false,
        updated_at      timestamptz NOT NULL,
        CONSTRAINT pk_review_states PRIMARY KEY (review_id),
        CONSTRAINT fk_review_states_review FOREIGN KEY (review_id) REFERENCES reviews (id),
        CONSTRAINT ck_review_states_author_side CHECK (author_side IN ('CLIENT', 'LAWYER'))
      )
    `);
    // The public list of a lawyer: newest published, visible client reviews first (keyset).
    await q.query(`
      CREATE INDEX ix_review_states_public ON review_states (subject_id, published_at DESC, review_id DESC)
        WHERE author_side = 'CLIENT' AND published_at IS NOT NULL AND NOT hidden
    `);

    await q.query(`
      CREATE TABLE review_responses (
        review_id  uuid        NOT NULL,
        author_id  uuid        NOT NULL,
        body       text        NOT NULL,
        created_at timestamptz NOT NULL,
        CONSTRAINT pk_review_responses PRIMARY KEY (review_id),
        CONSTRAINT fk_review_responses_review FOREIGN KEY (review_id) REFERENCES reviews (id),
        CONSTRAINT fk_review_responses_author FOREIGN KEY (author_id) REFERENCES users (id),
        CONSTRAINT ck_review_responses_body CHECK (char_length(body) BETWEEN 1 AND 2000)
      )
    `);
    await q.query(`
      CREATE TRIGGER review_responses_immutable BEFORE UPDATE OR DELETE OR TRUNCATE ON review_responses
        FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()
    `);

    await q.query(`
      CREATE TABLE review_moderation_decisions (
        id          uuid        NOT NULL DEFAULT gen_random_uuid(),
        review_id   uuid        NOT NULL,
        target      text        NOT NULL,
        action      text        NOT NULL,
        reason_code text        NOT NULL,
        note        text        NOT NULL DEFAULT '',
        admin_id    uuid,
        created_at  timestamptz NOT NULL,
        CONSTRAINT pk_review_moderation_decisions PRIMARY KEY (id),
        CONSTRAINT fk_review_moderation_decisions_review FOREIGN KEY (review_id) REFERENCES reviews (id),
        CONSTRAINT fk_review_moderation_decisions_admin FOREIGN KEY (admin_id) REFERENCES users (id),
        CONSTRAINT ck_review_moderation_decisions_target CHECK (target IN ('REVIEW', 'RESPONSE')),
        CONSTRAINT ck_review_moderation_decisions_action CHECK (action IN ('HIDE', 'UNHIDE', 'DISMISS')),
        CONSTRAINT ck_review_moderation_decisions_reason CHECK (reason_code IN
          ('SPAM', 'OFFENSIVE', 'PERSONAL_DATA', 'FALSE_INFORMATION', 'CONFLICT_OF_INTEREST', 'REPORT_REJECTED', 'OTHER', 'SESSION_NO_SHOW')),
        -- No admin: the system's decision when support records the session as a no-show.
        CONSTRAINT ck_review_moderation_decisions_system CHECK (admin_id IS NOT NULL OR reason_code = 'SESSION_NO_SHOW'),
        CONSTRAINT ck_review_moderation_decisions_note CHECK (char_length(note) <= 1000)
      )
    `);
    await q.query(`CREATE INDEX ix_review_moderation_decisions_review ON review_moderation_decisions (review_id, created_at)`);
    await q.query(`
      CREATE TRIGGER review_moderation_decisions_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON review_moderation_decisions
        FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()
    `);

    await q.query(`
      CREATE TABLE review_reports (
        id                    uuid        NOT NULL DEFAULT gen_random_uuid(),
        review_id             uuid        NOT NULL,
        target                text        NOT NULL,
        reporter_id           uuid        NOT NULL,
        reason                text        NOT NULL,
        note                  text        NOT NULL DEFAULT '',
        status                text        NOT NULL DEFAULT 'OPEN',
        closed_by_decision_id uuid,
        created_at            timestamptz NOT NULL,
        CONSTRAINT pk_review_reports PRIMARY KEY (id),
        CONSTRAINT fk_review_reports_review FOREIGN KEY (review_id) REFERENCES reviews (id),
        CONSTRAINT fk_review_reports_reporter FOREIGN KEY (reporter_id) REFERENCES users (id),
        CONSTRAINT fk_review_reports_decision FOREIGN KEY (closed_by_decision_id) REFERENCES review_moderation_decisions (id),
        CONSTRAINT uq_review_reports_reporter UNIQUE (review_id, target, reporter_id),
        CONSTRAINT ck_review_reports_target CHECK (target IN ('REVIEW', 'RESPONSE')),
        CONSTRAINT ck_review_reports_reason CHECK (reason IN
          ('SPAM', 'OFFENSIVE', 'PERSONAL_DATA', 'FALSE_INFORMATION', 'CONFLICT_OF_INTEREST', 'OTHER')),
        CONSTRAINT ck_review_reports_status CHECK (status IN ('OPEN', 'CLOSED')),
        CONSTRAINT ck_review_reports_note CHECK (char_length(note) <= 1000),
        CONSTRAINT ck_review_reports_closed CHECK ((status = 'CLOSED') = (closed_by_decision_id IS NOT NULL))
      )
    `);
    await q.query(`CREATE INDEX ix_review_reports_open ON review_reports (review_id) WHERE status = 'OPEN'`);

    await q.query(`
      CREATE TABLE review_windows (
        session_id   uuid        NOT NULL,
        client_id    uuid        NOT NULL,
        lawyer_id    uuid        NOT NULL,
        completed_at timestamptz NOT NULL,
        deadline_at  timestamptz NOT NULL,
        published_at timestamptz,
        CONSTRAINT pk_review_windows PRIMARY KEY (session_id),
        CONSTRAINT fk_review_windows_session FOREIGN KEY (session_id) REFERENCES legal_sessions (id),
        CONSTRAINT ck_review_windows_deadline CHECK (deadline_at > completed_at)
      )
    `);
    await q.query(`CREATE INDEX ix_review_windows_due ON review_windows (deadline_at) WHERE published_at IS NULL`);
    await q.query(`
      INSERT INTO review_windows (session_id, client_id, lawyer_id, completed_at, deadline_at)
      SELECT id, client_id, lawyer_id, completed_at, completed_at + interval '14 days'
        FROM legal_sessions WHERE status = 'COMPLETED' AND completed_at IS NOT NULL
    `);

    await q.query(`
      CREATE TABLE lawyer_ratings (
        lawyer_id    uuid         NOT NULL,
        review_count int          NOT NULL,
        rating_sum   int          NOT NULL,
        c1           int          NOT NULL,
        c2           int          NOT NULL,
        c3           int          NOT NULL,
        c4           int          NOT NULL,
        c5           int          NOT NULL,
        score        numeric(6,4) NOT NULL,
        updated_at   timestamptz  NOT NULL,
        CONSTRAINT pk_lawyer_ratings PRIMARY KEY (lawyer_id),
        CONSTRAINT fk_lawyer_ratings_lawyer FOREIGN KEY (lawyer_id) REFERENCES users (id),
        CONSTRAINT ck_lawyer_ratings_counts CHECK (c1 >= 0 AND c2 >= 0 AND c3 >= 0 AND c4 >= 0 AND c5 >= 0),
        CONSTRAINT ck_lawyer_ratings_count CHECK (review_count = c1 + c2 + c3 + c4 + c5),
        CONSTRAINT ck_lawyer_ratings_sum CHECK (rating_sum = c1 + 2 * c2 + 3 * c3 + 4 * c4 + 5 * c5)
      )
    `);
    await q.query(`
      CREATE VIEW lawyer_rating_summaries AS
      SELECT lawyer_id,
             CASE WHEN review_count > 0 THEN round(rating_sum::numeric / review_count, 2)::numeric(3,2) END AS average,
             review_count,
             CASE WHEN review_count > 0 THEN score END AS score
        FROM lawyer_ratings`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW lawyer_rating_summaries');
    for (const table of [
      'lawyer_ratings',
      'review_windows',
      'review_reports',
      'review_moderation_decisions',
      'review_responses',
      'review_states',
      'reviews',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
