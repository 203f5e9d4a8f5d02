import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, QueryResultRow } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { RATING_PRIOR_MEAN, RATING_PRIOR_WEIGHT, type ReviewCursor, type ReviewSide } from './review-rules';
import { LAWYER_RATING, publicReviewsQuery, type LawyerRatingRow, type NamedStatement, type PublicReviewRow } from './reviews.queries';

export type ModerationTarget = 'REVIEW' | 'RESPONSE';
/** HIDE / UNHIDE change visibility; DISMISS closes the open reports and changes nothing else. */
export type ModerationAction = 'HIDE' | 'UNHIDE' | 'DISMISS';

/** A review with its visibility state (`reviews` + `review_states`). */
export interface Review {
  id: string;
  sessionId: string;
  authorId: string;
  subjectId: string;
  authorSide: ReviewSide;
  rating: number;
  comment: string;
  createdAt: Date;
  publishedAt: Date | null;
  hidden: boolean;
  responseHidden: boolean;
}

export interface ReviewReply {
  reviewId: string;
  authorId: string;
  body: string;
  createdAt: Date;
}

export interface ReviewWindow {
  sessionId: string;
  clientId: string;
  lawyerId: string;
  completedAt: Date;
  deadlineAt: Date;
  publishedAt: Date | null;
}

export interface ModerationDecision {
  id: string;
  reviewId: string;
  target: ModerationTarget;
  action: ModerationAction;
  reasonCode: string;
  note: string;
  /** Null: the system's decision (the session was decided a no-show). */
  adminId: string | null;
  adminName: string | null;
  createdAt: Date;
}

export interface ReviewReport {
  id: string;
  reviewId: string;
  target: ModerationTarget;
  reporterId: string;
  reporterName: string | null;
  reason: string;
  note: string;
  status: 'OPEN' | 'CLOSED';
  closedByDecisionId: string | null;
  createdAt: Date;
}

/** A review as an admin or a participant's own list shows it: with names, the session's offering and the response. */
export interface ReviewListing extends Review {
  offeringTitle: string;
  authorName: string | null;
  subjectName: string | null;
  openReports: number;
  response: ReviewReply | null;
}

export type AdminReviewFilter = 'REPORTED' | 'HIDDEN' | 'ALL';

const REVIEW = `v.id, v.session_id AS "sessionId", v.author_id AS "authorId", v.subject_id AS "subjectId", v.author_side AS "authorSide",
  v.rating, v.comment, v.created_at AS "createdAt", s.published_at AS "publishedAt", s.hidden, s.response_hidden AS "responseHidden"`;
const WINDOW = `session_id AS "sessionId", client_id AS "clientId", lawyer_id AS "lawyerId", completed_at AS "completedAt",
  deadline_at AS "deadlineAt", published_at AS "publishedAt"`;
const REPLY = `review_id AS "reviewId", author_id AS "authorId", body, created_at AS "createdAt"`;
const LISTING = `${REVIEW}, v.offering_title AS "offeringTitle", ua.display_name AS "authorName", us.display_name AS "subjectName",
  (SELECT count(*)::int FROM review_reports rp WHERE rp.review_id = v.id AND rp.status = 'OPEN') AS "openReports",
  CASE WHEN rr.review_id IS NULL THEN NULL
       ELSE json_build_object('reviewId', rr.review_id, 'authorId', rr.author_id, 'body', rr.body, 'createdAt', rr.created_at) END AS response`;
const LISTING_FROM = `reviews v
  JOIN review_states s ON s.review_id = v.id
  LEFT JOIN user_directory ua ON ua.id = v.author_id
  LEFT JOIN user_directory us ON us.id = v.subject_id
  LEFT JOIN review_responses rr ON rr.review_id = v.id`;

/** The SQL of the reviews module: reviews and their states, responses, windows, moderation, reports and ratings. */
@Injectable()
export class ReviewsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // ——— windows ———

  /** Opens a session's window; false when it already exists. */
  async insertWindow(manager: EntityManager, w: Omit<ReviewWindow, 'publishedAt'>): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO review_windows (session_id, client_id, lawyer_id, completed_at, deadline_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (session_id) DO NOTHING RETURNING session_id`,
      [w.sessionId, w.clientId, w.lawyerId, w.completedAt, w.deadlineAt],
    );
    return rows.length === 1;
  }

  async window(manager: EntityManager | null, sessionId: string, opts: { lock?: boolean } = {}): Promise<ReviewWindow | null> {
    const rows: ReviewWindow[] = await (manager ?? this.dataSource).query(
      `SELECT ${WINDOW} FROM review_windows WHERE session_id = $1${opts.lock ? ' FOR UPDATE' : ''}`,
      [sessionId],
    );
    return rows[0] ?? null;
  }

  async markWindowPublished(manager: EntityManager, sessionId: string, now: Date): Promise<void> {
    await manager.query(`UPDATE review_windows SET published_at = $2 WHERE session_id = $1 AND published_at IS NULL`, [sessionId, now]);
  }

  /** Sessions whose window passed its deadline unpublished, oldest deadline first. */
  async dueWindows(now: Date, limit: number): Promise<string[]> {
    const rows: { sessionId: string }[] = await this.dataSource.query(
      `SELECT session_id AS "sessionId" FROM review_windows WHERE published_at IS NULL AND deadline_at <= $1 ORDER BY deadline_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.sessionId);
  }

  // ——— reviews ———

  async insert(
    manager: EntityManager,
    r: {
      sessionId: string;
      offeringTitle: string;
      authorId: string;
      subjectId: string;
      authorSide: ReviewSide;
      rating: number;
      comment: string;
      now: Date;
    },
  ): Promise<Review> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO reviews (session_id, offering_title, author_id, subject_id, author_side, rating, comment, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [r.sessionId, r.offeringTitle, r.authorId, r.subjectId, r.authorSide, r.rating, r.comment, r.now],
    );
    const id = rows[0]!.id;
    await manager.query(
      `INSERT INTO review_states (review_id, subject_id, author_side, updated_at) VALUES ($1, $2, $3, $4)`,
      [id, r.subjectId, r.authorSide, r.now],
    );
    return (await this.find(manager, id))!;
  }

  /** A review; `lock` takes its state row's lock (for a change of visibility). */
  async find(manager: EntityManager | null, id: string, opts: { lock?: boolean } = {}): Promise<Review | null> {
    const rows: Review[] = await (manager ?? this.dataSource).query(
      `SELECT ${REVIEW} FROM reviews v JOIN review_states s ON s.review_id = v.id WHERE v.id = $1${opts.lock ? ' FOR UPDATE OF s' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * The session's reviews with their states; `lock` locks the states (publication computes the
   * rating change from them, so a hide committed meanwhile must not be read stale).
   */
  async ofSession(manager: EntityManager | null, sessionId: string, opts: { lock?: boolean } = {}): Promise<Review[]> {
    return (manager ?? this.dataSource).query(
      `SELECT ${REVIEW} FROM reviews v JOIN review_states s ON s.review_id = v.id WHERE v.session_id = $1 ORDER BY v.created_at, v.id${opts.lock ? ' FOR UPDATE OF s' : ''}`,
      [sessionId],
    );
  }

  /** How many reviews the author stored since `since` (the rate limit). */
  async countByAuthorSince(manager: EntityManager | null, authorId: string, since: Date): Promise<number> {
    const rows: { n: number }[] = await (manager ?? this.dataSource).query(
      `SELECT count(*)::int AS n FROM reviews WHERE author_id = $1 AND created_at > $2`,
      [authorId, since],
    );
    return rows[0]!.n;
  }

  /** Publishes a review once; false when it already was. */
  async publish(manager: EntityManager, reviewId: string, now: Date): Promise<boolean> {
    const rows: [unknown[], number] = await manager.query(
      `UPDATE review_states SET published_at = $2, updated_at = $2 WHERE review_id = $1 AND published_at IS NULL RETURNING review_id`,
      [reviewId, now],
    );
    return rows[1] === 1;
  }

  async setHidden(manager: EntityManager, reviewId: string, target: ModerationTarget, hidden: boolean, now: Date): Promise<void> {
    const column = target === 'REVIEW' ? 'hidden' : 'response_hidden';
    await manager.query(`UPDATE review_states SET ${column} = $2, updated_at = $3 WHERE review_id = $1`, [reviewId, hidden, now]);
  }

  // ——— responses ———

  async response(manager: EntityManager | null, reviewId: string): Promise<ReviewReply | null> {
    const rows: ReviewReply[] = await (manager ?? this.dataSource).query(`SELECT ${REPLY} FROM review_responses WHERE review_id = $1`, [reviewId]);
    return rows[0] ?? null;
  }

  async responsesOf(manager: EntityManager | null, reviewIds: string[]): Promise<Map<string, ReviewReply>> {
    if (reviewIds.length === 0) return new Map();
    const rows: ReviewReply[] = await (manager ?? this.dataSource).query(
      `SELECT ${REPLY} FROM review_responses WHERE review_id = ANY($1::uuid[])`,
      [reviewIds],
    );
    return new Map(rows.map((r) => [r.reviewId, r]));
  }

  /** The one response of a review; null when it already has one. */
  async insertResponse(manager: EntityManager, r: { reviewId: string; authorId: string; body: string; now: Date }): Promise<ReviewReply | null> {
    const rows: ReviewReply[] = await manager.query(
      `INSERT INTO review_responses (review_id, author_id, body, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (review_id) DO NOTHING RETURNING ${REPLY}`,
      [r.reviewId, r.authorId, r.body, r.now],
    );
    return rows[0] ?? null;
  }

  // ——— moderation and reports ———

  async insertDecision(
    manager: EntityManager,
    d: { reviewId: string; target: ModerationTarget; action: ModerationAction; reasonCode: string; note: string; adminId: string | null; now: Date },
  ): Promise<ModerationDecision> {
    const rows: ModerationDecision[] = await manager.query(
      `INSERT INTO review_moderation_decisions (review_id, target, action, reason_code, note, admin_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING id, review_id AS "reviewId", target, action, reason_code AS "reasonCode", note, admin_id AS "adminId",
                 (SELECT display_name FROM user_directory WHERE id = $6) AS "adminName", created_at AS "createdAt"`,
      [d.reviewId, d.target, d.action, d.reasonCode, d.note, d.adminId, d.now],
    );
    return rows[0]!;
  }

  /** Closes the open reports of one target of a review with the decision; how many. */
  async closeReports(manager: EntityManager, reviewId: string, target: ModerationTarget, decisionId: string): Promise<number> {
    const rows: [unknown[], number] = await manager.query(
      `UPDATE review_reports SET status = 'CLOSED', closed_by_decision_id = $3
        WHERE review_id = $1 AND target = $2 AND status = 'OPEN' RETURNING id`,
      [reviewId, target, decisionId],
    );
    return rows[1];
  }

  async hasOpenReports(manager: EntityManager, reviewId: string, target: ModerationTarget): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM review_reports WHERE review_id = $1 AND target = $2 AND status = 'OPEN' LIMIT 1`, [reviewId, target]);
    return rows.length > 0;
  }

  /** A new report; null when this reporter already reported this target of the review. */
  async insertReport(
    manager: EntityManager,
    r: { reviewId: string; target: ModerationTarget; reporterId: string; reason: string; note: string; now: Date },
  ): Promise<ReviewReport | null> {
    const rows: ReviewReport[] = await manager.query(
      `INSERT INTO review_reports (review_id, target, reporter_id, reason, note, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (review_id, target, reporter_id) DO NOTHING
       RETURNING id, review_id AS "reviewId", target, reporter_id AS "reporterId", NULL::text AS "reporterName", reason, note, status,
                 closed_by_decision_id AS "closedByDecisionId", created_at AS "createdAt"`,
      [r.reviewId, r.target, r.reporterId, r.reason, r.note, r.now],
    );
    return rows[0] ?? null;
  }

  async reportsOf(reviewId: string): Promise<ReviewReport[]> {
    return this.dataSource.query(
      `SELECT r.id, r.review_id AS "reviewId", r.target, r.reporter_id AS "reporterId", u.display_name AS "reporterName", r.reason, r.note,
              r.status, r.closed_by_decision_id AS "closedByDecisionId", r.created_at AS "createdAt"
         FROM review_reports r LEFT JOIN user_directory u ON u.id = r.reporter_id
        WHERE r.review_id = $1 ORDER BY r.created_at, r.id`,
      [reviewId],
    );
  }

  async decisionsOf(reviewId: string): Promise<ModerationDecision[]> {
    return this.dataSource.query(
      `SELECT d.id, d.review_id AS "reviewId", d.target, d.action, d.reason_code AS "reasonCode", d.note, d.admin_id AS "adminId",
              u.display_name AS "adminName", d.created_at AS "createdAt"
         FROM review_moderation_decisions d LEFT JOIN user_directory u ON u.id = d.admin_id
        WHERE d.review_id = $1 ORDER BY d.created_at, d.id`,
      [reviewId],
    );
  }

  // ——— lists ———

  /** The admin queue: REPORTED (open reports), HIDDEN (review or response hidden) or ALL, newest first. */
  async adminPage(filter: AdminReviewFilter, page: number, pageSize: number): Promise<{ items: ReviewListing[]; total: number }> {
    const where =
      filter === 'REPORTED'
        ? `WHERE EXISTS (SELECT 1 FROM review_reports rp WHERE rp.review_id = v.id AND rp.status = 'OPEN')`
        : filter === 'HIDDEN'
          ? 'WHERE s.hidden OR s.response_hidden'
          : '';
    return this.page(where, [], page, pageSize, 'v.created_at DESC, v.id DESC');
  }

  async listing(reviewId: string): Promise<ReviewListing | null> {
    const rows: ReviewListing[] = await this.dataSource.query(`SELECT ${LISTING} FROM ${LISTING_FROM} WHERE v.id = $1`, [reviewId]);
    return rows.map(reviveListing)[0] ?? null;
  }

  /** A participant's reviews: written by them (any state), or received once published; newest first. */
  async mine(userId: string, direction: 'received' | 'written', page: number, pageSize: number): Promise<{ items: ReviewListing[]; total: number }> {
    // About me: published and not hidden (a hidden review is seen by its author and admins only).
    const where = direction === 'written' ? 'WHERE v.author_id = $1' : 'WHERE v.subject_id = $1 AND s.published_at IS NOT NULL AND NOT s.hidden';
    return this.page(where, [userId], page, pageSize, 'COALESCE(s.published_at, v.created_at) DESC, v.id DESC');
  }

  private async page(where: string, values: unknown[], page: number, pageSize: number, order: string): Promise<{ items: ReviewListing[]; total: number }> {
    const n = values.length;
    const rows: (ReviewListing & { total: number })[] = await this.dataSource.query(
      `SELECT ${LISTING}, count(*) OVER ()::int AS total FROM ${LISTING_FROM} ${where}
        ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...values, pageSize, (page - 1) * pageSize],
    );
    if (rows.length === 0 && page > 1) {
      const count: { total: number }[] = await this.dataSource.query(`SELECT count(*)::int AS total FROM ${LISTING_FROM} ${where}`, values);
      return { items: [], total: count[0]?.total ?? 0 };
    }
    return { items: rows.map(reviveListing), total: rows[0]?.total ?? 0 };
  }

  // ——— ratings ———

  /**
   * Adds (`delta` +1) or removes (-1) one visible review of `rating` stars to or from the
   * lawyer's aggregate, recomputing the Bayesian score, in the caller's transaction. Adding
   * upserts (the first visible review creates the row); removing updates the row, which must
   * exist. Both take the row's lock, so concurrent changes of one lawyer's rating serialise; the
   * table's CHECKs refuse a count that would go negative. (An upsert cannot remove: PostgreSQL
   * checks the proposed row's CHECK constraints, with its negative counts, before it finds the
   * conflict.)
   */
  async applyRating(manager: EntityManager, lawyerId: string, rating: number, delta: 1 | -1, now: Date): Promise<void> {
    const c = [1, 2, 3, 4, 5].map((star) => (star === rating ? delta : 0));
    const score = (count: string, sum: string) => `round(($9::numeric * $10::numeric + ${sum}) / ($9::numeric + ${count}), 4)`;
    const params = [lawyerId, delta, delta * rating, ...c, RATING_PRIOR_WEIGHT, RATING_PRIOR_MEAN, now];
    if (delta === 1) {
      await manager.query(
        `INSERT INTO lawyer_ratings AS r (lawyer_id, review_count, rating_sum, c1, c2, c3, c4, c5, score, updated_at)
         VALUES ($1, $2::int, $3::int, $4, $5, $6, $7, $8, ${score('$2::int', '$3::int')}, $11)
         ON CONFLICT (lawyer_id) DO UPDATE SET
           review_count = r.review_count + EXCLUDED.review_count,
           rating_sum = r.rating_sum + EXCLUDED.rating_sum,
           c1 = r.c1 + EXCLUDED.c1, c2 = r.c2 + EXCLUDED.c2, c3 = r.c3 + EXCLUDED.c3, c4 = r.c4 + EXCLUDED.c4, c5 = r.c5 + EXCLUDED.c5,
           score = ${score('r.review_count + EXCLUDED.review_count', 'r.rating_sum + EXCLUDED.rating_sum')},
           updated_at = EXCLUDED.updated_at`,
        params,
      );
      return;
    }
    const [, updated]: [unknown[], number] = await manager.query(
      `UPDATE lawyer_ratings SET
         review_count = review_count + $2::int, rating_sum = rating_sum + $3::int,
         c1 = c1 + $4, c2 = c2 + $5, c3 = c3 + $6, c4 = c4 + $7, c5 = c5 + $8,
         score = ${score('(review_count + $2::int)', '(rating_sum + $3::int)')},
         updated_at = $11
       WHERE lawyer_id = $1 RETURNING lawyer_id`,
      params,
    );
    if (updated !== 1) throw new Error(`lawyer_ratings: no row for lawyer ${lawyerId} to remove a review from`);
  }

  /** The public rating of a listed lawyer (one primary-key row); null when the lawyer is not listed. */
  async rating(lawyerId: string): Promise<LawyerRatingRow | null> {
    const rows = await this.prepared<LawyerRatingRow>({ ...LAWYER_RATING, values: [lawyerId] });
    return rows[0] ?? null;
  }

  /** A page of a listed lawyer's public reviews (`limit` + 1 rows asked, to know if more follow); null when not listed. */
  async publicPage(lawyerId: string, cursor: ReviewCursor | null, limit: number): Promise<PublicReviewRow[] | null> {
    const rows = await this.prepared<PublicReviewRow>(publicReviewsQuery(lawyerId, cursor, limit));
    return rows.length ? rows : null;
  }

  /**
   * Runs a named prepared statement on the pg pool that TypeORM's Postgres driver holds (the same
   * connections, outside any transaction). `dataSource.query` sends every statement unnamed, so
   * PostgreSQL parses and plans it again on each call; for the public reads, which are hot and
   * cheap to execute, that planning was most of their cost. A named statement is prepared once
   * per pooled connection and then only bound and executed (see reviews.queries.ts).
   */
  private async prepared<T extends QueryResultRow>(statement: NamedStatement & { values: unknown[] }): Promise<T[]> {
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    return (await pool.query<T>(statement)).rows;
  }
}

/** json_build_object gives the response's time as text. */
function reviveListing(row: ReviewListing): ReviewListing {
  const { total: _total, ...rest } = row as ReviewListing & { total?: number };
  return { ...rest, response: row.response ? { ...row.response, createdAt: new Date(row.response.createdAt) } : null };
}

