import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monthly statements for partners and lawyers (issue 14), owned by the statements module.
 *
 * - `statements`: one issued statement of one payable (payee, account, currency) for one
 *   calendar month in the payee's zone: opening and closing balance (what is owed to the
 *   payee), the rendered CSV and PDF (blob keys, SHA-256, sizes) and who issued it (NULL: the
 *   monthly job). Numbered `ST-<period YYYYMM>-<000001…>` from `statement_number_seq` (a
 *   number lost to a rolled-back issue is a gap, never a reuse).
 * - Issued once: `uq_statements_original` allows one original statement per payable and month,
 *   so the job run twice, or two runs at once, issue one. A correction is a new statement that
 *   supersedes the old one (`supersedes_id`, with the reason); `uq_statements_supersedes` lets a
 *   statement be superseded once.
 * - `statement_lines`: every ledger line of the month, from the payee's view (+ = owed more),
 *   with the running balance.
 * - Both tables are append-only (`reject_mutation()`): an issued statement never changes.
 * - A deferred constraint trigger checks, when the issuing transaction commits, that the lines
 *   are numbered 1..line_count and run from the opening to the closing balance.
 */
export class Statements1764750000000 implements MigrationInterface {
  name = 'Statements1764750000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE statement_number_seq AS bigint START 1`);
    await q.query(`
      CREATE TABLE statements (
        id             uuid        NOT NULL,
        number         text        NOT NULL,
        payee_id       uuid        NOT NULL,
        payee_role     text        NOT NULL,
        account        text        NOT NULL,
        currency       text        NOT NULL,
        period_start   date        NOT NULL,
        period_end     date        NOT NULL,
        zone           text        NOT NULL,
        opening_minor  bigint      NOT NULL,
        closing_minor  bigint      NOT NULL,
        line_count     integer     NOT NULL,
        csv_key        text        NOT NULL,
        csv_sha256     text        NOT NULL,
        csv_bytes      bigint      NOT NULL,
        pdf_key        text        NOT NULL,
        pdf_sha256     text        NOT NULL,
        pdf_bytes      bigint      NOT NULL,
        supersedes_id  uuid        NULL,
        reissue_reason text        NULL,
        issued_by      uuid        NULL,
        issued_at      timestamptz NOT NULL,
        CONSTRAINT pk_statements PRIMARY KEY (id),
        CONSTRAINT uq_statements_number UNIQUE (number),
        CONSTRAINT uq_statements_supersedes UNIQUE (supersedes_id),
        CONSTRAINT fk_statements_payee FOREIGN KEY (payee_id) REFERENCES users (id),
        CONSTRAINT fk_statements_issued_by FOREIGN KEY (issued_by) REFERENCES users (id),
        CONSTRAINT fk_statements_supersedes FOREIGN KEY (supersedes_id) REFERENCES statements (id),
        CONSTRAINT ck_statements_number CHECK (number ~ '^ST-[0-9]{6}-[0-9]{6,}$'),
        CONSTRAINT ck_statements_payee CHECK (
          (payee_role = 'LAWYER' AND account = 'lawyer_payable') OR
          (payee_role = 'PARTNER' AND account = 'partner_commission_payable')),
        CONSTRAINT ck_statements_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_statements_period CHECK (
          extract(day FROM period_start) = 1 AND period_end = (period_start + interval '1 month' - interval '1 day')::date),
        CONSTRAINT ck_statements_line_count CHECK (line_count >= 0),
        CONSTRAINT ck_statements_files CHECK (
          csv_sha256 ~ '^[0-9a-f]{64}$' AND pdf_sha256 ~ '^[0-9a-f]{64}$' AND csv_bytes > 0 AND pdf_bytes > 0),
        CONSTRAINT ck_statements_reissue CHECK (
          (supersedes_id IS NULL) = (reissue_reason IS NULL) AND
          (supersedes_id IS NULL OR issued_by IS NOT NULL) AND
          (reissue_reason IS NULL OR char_length(reissue_reason) BETWEEN 1 AND 500))
      )
    `);
    await q.query(`
      CREATE UNIQUE INDEX uq_statements_original ON statements (payee_id, account, currency, period_start)
        WHERE supersedes_id IS NULL`);
    await q.query(`CREATE INDEX ix_statements_payee ON statements (payee_id, period_start DESC, issued_at DESC)`);
    await q.query(`CREATE INDEX ix_statements_issued ON statements (period_start DESC, issued_at DESC)`);

    await q.query(`
      CREATE TABLE statement_lines (
        statement_id   uuid        NOT NULL,
        line_no        integer     NOT NULL,
        entry_id       bigint      NOT NULL,
        transaction_id uuid        NOT NULL,
        kind           text        NOT NULL,
        posted_at      timestamptz NOT NULL,
        local_day      date        NOT NULL,
        description    text        NOT NULL,
        amount_minor   bigint      NOT NULL,
        balance_minor  bigint      NOT NULL,
        CONSTRAINT pk_statement_lines PRIMARY KEY (statement_id, line_no),
        CONSTRAINT fk_statement_lines_statement FOREIGN KEY (statement_id) REFERENCES statements (id),
        CONSTRAINT uq_statement_lines_entry UNIQUE (statement_id, entry_id),
        CONSTRAINT ck_statement_lines_line_no CHECK (line_no >= 1)
      )
    `);

    for (const table of ['statements', 'statement_lines']) {
      await q.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()`);
    }

    await q.query(`
      CREATE FUNCTION statements_check_lines() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        n integer;
        total bigint;
        max_no integer;
        bad integer;
      BEGIN
        SELECT count(*), coalesce(sum(amount_minor), 0), coalesce(max(line_no), 0)
          INTO n, total, max_no
          FROM statement_lines WHERE statement_id = NEW.id;
        IF n <> NEW.line_count OR max_no <> n OR NEW.opening_minor + total <> NEW.closing_minor THEN
          RAISE EXCEPTION 'statement % lines do not run from opening % to closing % (% lines, sum %)',
            NEW.number, NEW.opening_minor, NEW.closing_minor, n, total USING ERRCODE = 'check_violation';
        END IF;
        SELECT count(*) INTO bad FROM (
          SELECT balance_minor, NEW.opening_minor + sum(amount_minor) OVER (ORDER BY line_no) AS running
            FROM statement_lines WHERE statement_id = NEW.id) l
         WHERE l.balance_minor <> l.running;
        IF bad > 0 THEN
          RAISE EXCEPTION 'statement % has % lines whose balance is not the running sum', NEW.number, bad
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER statements_lines_balanced AFTER INSERT ON statements
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION statements_check_lines()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE statement_lines');
    await q.query('DROP TABLE statements');
    await q.query('DROP FUNCTION statements_check_lines()');
    await q.query('DROP SEQUENCE statement_number_seq');
  }
}
