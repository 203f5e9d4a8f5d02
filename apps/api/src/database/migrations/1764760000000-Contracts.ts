import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contract lifecycle (issue 15), owned by the contracts module.
 *
 * - `contract_templates`: platform templates (owner_id NULL, managed by admins) and lawyers' own;
 *   the name and description shown in lists, and whether it is archived.
 * - `contract_template_versions`: every saved body with its declared variables; immutable.
 * - `contracts`: one contract between a session's lawyer and client, numbered
 *   `C-<year>-<000001…>` from `contract_number_seq`. Its status moves DRAFT → SENT →
 *   PARTIALLY_SIGNED → EXECUTED, or to VOIDED / DECLINED / EXPIRED; the trigger
 *   `contracts_guard()` allows only those moves, never changes who the parties are, and freezes
 *   the row once it reaches a final status (an executed contract never changes, not even its
 *   timestamps). No row is ever deleted.
 * - `contract_versions`: each save of a draft (title, parties, variables, rendered blocks, the
 *   version PDF's blob key and SHA-256, and the previous version's SHA-256: a hash chain).
 * - `contract_signer_events`: VIEWED / CONSENTED / SIGNED / DECLINED with UTC time, IP, user
 *   agent and the document hash; one VIEWED and one SIGNED per party and version.
 * - `contract_signatures`: one per party and version, binding the version's SHA-256.
 * - `contract_executions`: the sealed executed PDF (one per contract), with the audit seq of the
 *   `contract.executed` entry; looked up by SHA-256 for public verification.
 * The five history tables are append-only (`reject_mutation()` refuses UPDATE, DELETE and
 * TRUNCATE, as for the audit trail). INSERTs are guarded too: a contract starts as a DRAFT and
 * becomes EXECUTED only with its `contract_executions` row; a version only while the contract is
 * a DRAFT and chained to the previous version's hash; signer events and signatures only while it
 * is SENT or PARTIALLY_SIGNED, for its current version.
 *
 * Three platform templates are seeded: an engagement letter for a consultation, a mutual NDA and
 * a fee agreement, using the keys the module prefills from the session and the profiles.
 */
export class Contracts1764760000000 implements MigrationInterface {
  name = 'Contracts1764760000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE contract_number_seq AS bigint START 1`);
    await q.query(`
      CREATE TABLE contract_templates (
        id          uuid        NOT NULL DEFAULT gen_random_uuid(),
        owner_id    uuid        NULL,
        name        text        NOT NULL,
        description text        NOT NULL DEFAULT '',
        archived_at timestamptz NULL,
        created_at  timestamptz NOT NULL,
        created_by  uuid        NULL,
        updated_at  timestamptz NOT NULL,
        CONSTRAINT pk_contract_templates PRIMARY KEY (id),
        CONSTRAINT fk_contract_templates_owner FOREIGN KEY (owner_id) REFERENCES users (id),
        CONSTRAINT fk_contract_templates_created_by FOREIGN KEY (created_by) REFERENCES users (id),
        CONSTRAINT ck_contract_templates_name CHECK (char_length(name) BETWEEN 1 AND 200),
        CONSTRAINT ck_contract_templates_description CHECK (char_length(description) <= 1000)
      )`);
    await q.query(`CREATE INDEX ix_contract_templates_owner ON contract_templates (owner_id, name)`);

    await q.query(`
      CREATE TABLE contract_template_versions (
        id          uuid        NOT NULL DEFAULT gen_random_uuid(),
        template_id uuid        NOT NULL,
        number      integer     NOT NULL,
        name        text        NOT NULL,
        body        text        NOT NULL,
        variables   jsonb       NOT NULL,
        created_at  timestamptz NOT NULL,
        created_by  uuid        NULL,
        CONSTRAINT pk_contract_template_versions PRIMARY KEY (id),
        CONSTRAINT fk_contract_template_versions_template FOREIGN KEY (template_id) REFERENCES contract_templates (id),
        CONSTRAINT fk_contract_template_versions_created_by FOREIGN KEY (created_by) REFERENCES users (id),
        CONSTRAINT uq_contract_template_versions_number UNIQUE (template_id, number),
        CONSTRAINT ck_contract_template_versions_number CHECK (number >= 1),
        CONSTRAINT ck_contract_template_versions_name CHECK (char_length(name) BETWEEN 1 AND 200),
        CONSTRAINT ck_contract_template_versions_body CHECK (char_length(body) BETWEEN 1 AND 50000),
        CONSTRAINT ck_contract_template_versions_variables CHECK (jsonb_typeof(variables) = 'array')
      )`);

    await q.query(`
      CREATE TABLE contracts (
        id                  uuid        NOT NULL,
        number              text        NOT NULL,
        session_id          uuid        NOT NULL,
        lawyer_id           uuid        NOT NULL,
        client_id           uuid        NOT NULL,
        template_version_id uuid        NOT NULL,
        title               text        NOT NULL,
        status              text        NOT NULL,
        current_version_id  uuid        NULL,
        sent_at             timestamptz NULL,
        expires_at          timestamptz NULL,
        executed_at         timestamptz NULL,
        closed_at           timestamptz NULL,
        close_reason        text        NULL,
        created_at          timestamptz NOT NULL,
        updated_at          timestamptz NOT NULL,
        CONSTRAINT pk_contracts PRIMARY KEY (id),
        CONSTRAINT uq_contracts_number UNIQUE (number),
        CONSTRAINT fk_contracts_session FOREIGN KEY (session_id) REFERENCES legal_sessions (id),
        CONSTRAINT fk_contracts_lawyer FOREIGN KEY (lawyer_id) REFERENCES users (id),
        CONSTRAINT fk_contracts_client FOREIGN KEY (client_id) REFERENCES users (id),
        CONSTRAINT fk_contracts_template_version FOREIGN KEY (template_version_id) REFERENCES contract_template_versions (id),
        CONSTRAINT ck_contracts_number CHECK (number ~ '^C-[0-9]{4}-[0-9]{6,}$'),
        CONSTRAINT ck_contracts_parties CHECK (lawyer_id <> client_id),
        CONSTRAINT ck_contracts_title CHECK (char_length(title) BETWEEN 1 AND 200),
        CONSTRAINT ck_contracts_status CHECK (status IN ('DRAFT', 'SENT', 'PARTIALLY_SIGNED', 'EXECUTED', 'VOIDED', 'DECLINED', 'EXPIRED')),
        CONSTRAINT ck_contracts_sent CHECK ((sent_at IS NULL) = (expires_at IS NULL) AND (status IN ('DRAFT', 'VOIDED') OR sent_at IS NOT NULL)),
        CONSTRAINT ck_contracts_executed CHECK ((status = 'EXECUTED') = (executed_at IS NOT NULL)),
        CONSTRAINT ck_contracts_closed CHECK (
          (status IN ('VOIDED', 'DECLINED', 'EXPIRED')) = (closed_at IS NOT NULL) AND
          (close_reason IS NULL OR (closed_at IS NOT NULL AND char_length(close_reason) BETWEEN 1 AND 1000)))
      )`);
    await q.query(`CREATE INDEX ix_contracts_lawyer ON contracts (lawyer_id, created_at DESC)`);
    await q.query(`CREATE INDEX ix_contracts_client ON contracts (client_id, created_at DESC) WHERE sent_at IS NOT NULL`);
    await q.query(`CREATE INDEX ix_contracts_session ON contracts (session_id)`);
    await q.query(`CREATE INDEX ix_contracts_expiring ON contracts (expires_at) WHERE status IN ('SENT', 'PARTIALLY_SIGNED')`);

    await q.query(`
      CREATE TABLE contract_versions (
        id              uuid        NOT NULL,
        contract_id     uuid        NOT NULL,
        number          integer     NOT NULL,
        title           text        NOT NULL,
        parties         jsonb       NOT NULL,
        variables       jsonb       NOT NULL,
        content         jsonb       NOT NULL,
        pdf_blob_key    text        NOT NULL,
        pdf_sha256      text        NOT NULL,
        pdf_size        bigint      NOT NULL,
        previous_sha256 text        NULL,
        created_at      timestamptz NOT NULL,
        created_by      uuid        NOT NULL,
        CONSTRAINT pk_contract_versions PRIMARY KEY (id),
        CONSTRAINT fk_contract_versions_contract FOREIGN KEY (contract_id) REFERENCES contracts (id),
        CONSTRAINT fk_contract_versions_created_by FOREIGN KEY (created_by) REFERENCES users (id),
        CONSTRAINT uq_contract_versions_number UNIQUE (contract_id, number),
        CONSTRAINT ck_contract_versions_number CHECK (number >= 1),
        CONSTRAINT ck_contract_versions_chain CHECK ((number = 1) = (previous_sha256 IS NULL)),
        CONSTRAINT ck_contract_versions_sha256 CHECK (
          pdf_sha256 ~ '^[0-9a-f]{64}$' AND (previous_sha256 IS NULL OR previous_sha256 ~ '^[0-9a-f]{64}$') AND pdf_size > 0),
        CONSTRAINT ck_contract_versions_json CHECK (
          jsonb_typeof(parties) = 'array' AND jsonb_typeof(variables) = 'object' AND jsonb_typeof(content) = 'array')
      )`);
    await q.query(`
      ALTER TABLE contracts ADD CONSTRAINT fk_contracts_current_version
        FOREIGN KEY (current_version_id) REFERENCES contract_versions (id)`);

    await q.query(`
      CREATE TABLE contract_signer_events (
        id              bigint      GENERATED ALWAYS AS IDENTITY,
        contract_id     uuid        NOT NULL,
        version_id      uuid        NOT NULL,
        user_id         uuid        NOT NULL,
        role            text        NOT NULL,
        type            text        NOT NULL,
        at              timestamptz NOT NULL,
        ip              text        NULL,
        user_agent      text        NULL,
        document_sha256 text        NOT NULL,
        detail          jsonb       NOT NULL DEFAULT '{}'::jsonb,
        CONSTRAINT pk_contract_signer_events PRIMARY KEY (id),
        CONSTRAINT fk_contract_signer_events_contract FOREIGN KEY (contract_id) REFERENCES contracts (id),
        CONSTRAINT fk_contract_signer_events_version FOREIGN KEY (version_id) REFERENCES contract_versions (id),
        CONSTRAINT fk_contract_signer_events_user FOREIGN KEY (user_id) REFERENCES users (id),
        CONSTRAINT ck_contract_signer_events_role CHECK (role IN ('LAWYER', 'CLIENT')),
        CONSTRAINT ck_contract_signer_events_type CHECK (type IN ('VIEWED', 'CONSENTED', 'SIGNED', 'DECLINED')),
        CONSTRAINT ck_contract_signer_events_sha256 CHECK (document_sha256 ~ '^[0-9a-f]{64}$'),
        CONSTRAINT ck_contract_signer_events_client CHECK (
          (ip IS NULL OR char_length(ip) <= 64) AND (user_agent IS NULL OR char_length(user_agent) <= 512)),
        CONSTRAINT ck_contract_signer_events_detail CHECK (jsonb_typeof(detail) = 'object')
      )`);
    await q.query(`CREATE INDEX ix_contract_signer_events_contract ON contract_signer_events (contract_id, id)`);
    await q.query(`
      CREATE UNIQUE INDEX uq_contract_signer_events_once ON contract_signer_events (version_id, role, type)
        WHERE type IN ('VIEWED', 'SIGNED')`);

    await q.query(`
      CREATE TABLE contract_signatures (
        id              uuid        NOT NULL DEFAULT gen_random_uuid(),
        contract_id     uuid        NOT NULL,
        version_id      uuid        NOT NULL,
        user_id         uuid        NOT NULL,
        role            text        NOT NULL,
        typed_name      text        NOT NULL,
        drawing         jsonb       NULL,
        document_sha256 text        NOT NULL,
        signed_at       timestamptz NOT NULL,
        ip              text        NULL,
        user_agent      text        NULL,
        CONSTRAINT pk_contract_signatures PRIMARY KEY (id),
        CONSTRAINT fk_contract_signatures_contract FOREIGN KEY (contract_id) REFERENCES contracts (id),
        CONSTRAINT fk_contract_signatures_version FOREIGN KEY (version_id) REFERENCES contract_versions (id),
        CONSTRAINT fk_contract_signatures_user FOREIGN KEY (user_id) REFERENCES users (id),
        CONSTRAINT uq_contract_signatures_version_role UNIQUE (version_id, role),
        CONSTRAINT ck_contract_signatures_role CHECK (role IN ('LAWYER', 'CLIENT')),
        CONSTRAINT ck_contract_signatures_typed_name CHECK (char_length(typed_name) BETWEEN 1 AND 200),
        CONSTRAINT ck_contract_signatures_sha256 CHECK (document_sha256 ~ '^[0-9a-f]{64}$'),
        CONSTRAINT ck_contract_signatures_drawing CHECK (drawing IS NULL OR jsonb_typeof(drawing) = 'object')
      )`);
    await q.query(`CREATE INDEX ix_contract_signatures_contract ON contract_signatures (contract_id)`);

    await q.query(`
      CREATE TABLE contract_executions (
        contract_id uuid        NOT NULL,
        version_id  uuid        NOT NULL,
        blob_key    text        NOT NULL,
        sha256      text        NOT NULL,
        size        bigint      NOT NULL,
        sealed_at   timestamptz NOT NULL,
        audit_seq   bigint      NOT NULL,
        CONSTRAINT pk_contract_executions PRIMARY KEY (contract_id),
        CONSTRAINT fk_contract_executions_contract FOREIGN KEY (contract_id) REFERENCES contracts (id),
        CONSTRAINT fk_contract_executions_version FOREIGN KEY (version_id) REFERENCES contract_versions (id),
        CONSTRAINT ck_contract_executions_sha256 CHECK (sha256 ~ '^[0-9a-f]{64}$' AND size > 0),
        CONSTRAINT ck_contract_executions_audit_seq CHECK (audit_seq >= 1)
      )`);
    await q.query(`CREATE INDEX ix_contract_executions_sha256 ON contract_executions (sha256)`);

    for (const table of [
      'contract_template_versions',
      'contract_versions',
      'contract_signer_events',
      'contract_signatures',
      'contract_executions',
    ]) {
      await q.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()`);
    }

    // The contract row itself: only the state machine's moves, parties and origin fixed, frozen when final.
    await q.query(`
      CREATE FUNCTION contracts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION '% on table "contracts" is not allowed: contracts are never removed', TG_OP
            USING ERRCODE = 'restrict_violation';
        END IF;
        IF TG_OP = 'INSERT' THEN
          IF NEW.status <> 'DRAFT' THEN
            RAISE EXCEPTION 'INSERT of contract % is not allowed: a contract starts as a DRAFT, not %', NEW.number, NEW.status
              USING ERRCODE = 'restrict_violation';
          END IF;
          RETURN NEW;
        END IF;
        IF OLD.status IN ('EXECUTED', 'VOIDED', 'DECLINED', 'EXPIRED') THEN
          RAISE EXCEPTION 'UPDATE of contract % is not allowed: it is % and can no longer change', OLD.number, OLD.status
            USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.id <> OLD.id OR NEW.number <> OLD.number OR NEW.session_id <> OLD.session_id OR NEW.lawyer_id <> OLD.lawyer_id
           OR NEW.client_id <> OLD.client_id OR NEW.template_version_id <> OLD.template_version_id
           OR NEW.created_at <> OLD.created_at THEN
          RAISE EXCEPTION 'UPDATE of contract % is not allowed: its parties and origin never change', OLD.number
            USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.status <> OLD.status AND NOT (
             (OLD.status = 'DRAFT' AND NEW.status IN ('SENT', 'VOIDED')) OR
             (OLD.status = 'SENT' AND NEW.status IN ('PARTIALLY_SIGNED', 'EXECUTED', 'VOIDED', 'DECLINED', 'EXPIRED')) OR
             (OLD.status = 'PARTIALLY_SIGNED' AND NEW.status IN ('EXECUTED', 'VOIDED', 'DECLINED', 'EXPIRED'))) THEN
          RAISE EXCEPTION 'UPDATE of contract % is not allowed: it cannot move from % to %', OLD.number, OLD.status, NEW.status
            USING ERRCODE = 'restrict_violation';
        END IF;
        -- Executed means sealed: the contract_executions row (written first, same transaction) must exist.
        IF NEW.status = 'EXECUTED' AND NOT EXISTS (SELECT 1 FROM contract_executions e WHERE e.contract_id = NEW.id) THEN
          RAISE EXCEPTION 'UPDATE of contract % is not allowed: it cannot be EXECUTED without its contract_executions row', OLD.number
            USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.status <> 'DRAFT' AND (NEW.current_version_id IS DISTINCT FROM OLD.current_version_id OR NEW.title <> OLD.title) THEN
          RAISE EXCEPTION 'UPDATE of contract % is not allowed: it was sent for signature, its version and title are frozen', OLD.number
            USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER contracts_guard BEFORE INSERT OR UPDATE OR DELETE ON contracts
        FOR EACH ROW EXECUTE FUNCTION contracts_guard()`);

    // New history rows only where the state machine allows them. The parent row is read FOR
    // SHARE, so a concurrent status change waits for this transaction (and vice versa).
    await q.query(`
      CREATE FUNCTION contract_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        parent_status text;
        previous text;
      BEGIN
        SELECT c.status INTO parent_status FROM contracts c WHERE c.id = NEW.contract_id FOR SHARE;
        IF parent_status IS DISTINCT FROM 'DRAFT' THEN
          RAISE EXCEPTION 'INSERT into "contract_versions" is not allowed: contract % is %, only a DRAFT gets new versions',
            NEW.contract_id, coalesce(parent_status, 'missing') USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.number > 1 THEN
          SELECT v.pdf_sha256 INTO previous FROM contract_versions v
            WHERE v.contract_id = NEW.contract_id AND v.number = NEW.number - 1;
        END IF;
        IF NEW.previous_sha256 IS DISTINCT FROM previous OR (NEW.number > 1 AND previous IS NULL) THEN
          RAISE EXCEPTION 'INSERT into "contract_versions" is not allowed: version % of contract % must chain to the hash of version %',
            NEW.number, NEW.contract_id, NEW.number - 1 USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER contract_versions_insert BEFORE INSERT ON contract_versions
        FOR EACH ROW EXECUTE FUNCTION contract_versions_guard()`);
    // Signer events and signatures: only while the contract is out for signature, and only for its
    // current (frozen) version. The service writes them before the status moves on (DECLINED,
    // PARTIALLY_SIGNED, EXECUTED) in the same transaction.
    await q.query(`
      CREATE FUNCTION contract_signing_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        parent contracts%ROWTYPE;
      BEGIN
        SELECT * INTO parent FROM contracts c WHERE c.id = NEW.contract_id FOR SHARE;
        IF parent.status IS NULL OR parent.status NOT IN ('SENT', 'PARTIALLY_SIGNED') THEN
          RAISE EXCEPTION 'INSERT into "%" is not allowed: contract % is %, not out for signature',
            TG_TABLE_NAME, NEW.contract_id, coalesce(parent.status, 'missing') USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.version_id IS DISTINCT FROM parent.current_version_id THEN
          RAISE EXCEPTION 'INSERT into "%" is not allowed: only the current version of contract % is signed',
            TG_TABLE_NAME, parent.number USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    for (const table of ['contract_signer_events', 'contract_signatures']) {
      await q.query(`
        CREATE TRIGGER ${table}_insert BEFORE INSERT ON ${table}
          FOR EACH ROW EXECUTE FUNCTION contract_signing_guard()`);
    }
    await q.query(`
      CREATE TRIGGER contracts_no_truncate BEFORE TRUNCATE ON contracts
        FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()`);

    for (const t of PLATFORM_TEMPLATES) {
      const rows: { id: string }[] = await q.query(
        `INSERT INTO contract_templates (owner_id, name, description, created_at, created_by, updated_at)
         VALUES (NULL, $1, $2, now(), NULL, now()) RETURNING id`,
        [t.name, t.description],
      );
      await q.query(
        `INSERT INTO contract_template_versions (template_id, number, name, body, variables, created_at, created_by)
         VALUES ($1, 1, $2, $3, $4, now(), NULL)`,
        [rows[0]!.id, t.name, t.body, JSON.stringify(t.variables)],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE contract_executions');
    await q.query('DROP TABLE contract_signatures');
    await q.query('DROP TABLE contract_signer_events');
    await q.query('ALTER TABLE contracts DROP CONSTRAINT fk_contracts_current_version');
    await q.query('DROP TABLE contract_versions');
    await q.query('DROP TABLE contracts');
    await q.query('DROP TABLE contract_template_versions');
    await q.query('DROP TABLE contract_templates');
    await q.query('DROP FUNCTION contracts_guard()');
    await q.query('DROP FUNCTION contract_signing_guard()');
    await q.query('DROP FUNCTION contract_versions_guard()');
    await q.query('DROP SEQUENCE contract_number_seq');
  }
}

/** A platform template as seeded (frozen here: later changes are new template versions). */
export interface SeededTemplate {
  name: string;
  description: string;
  body: string;
  variables: { name: string; label: string; hint?: string }[];
}

const PARTY_VARIABLES = {
  client_name: { name: 'client_name', label: 'Client name', hint: 'Full legal name of the client' },
  client_email: { name: 'client_email', label: 'Client email' },
  lawyer_name: { name: 'lawyer_name', label: 'Lawyer name', hint: 'Your full name as registered with your bar' },
  lawyer_email: { name: 'lawyer_email', label: 'Lawyer email' },
  fee: { name: 'fee', label: 'Consultation fee', hint: 'Amount and currency, e.g. 250.00 PLN' },
  currency: { name: 'currency', label: 'Currency', hint: 'ISO code, e.g. EUR' },
  scope: { name: 'scope', label: 'Scope of the engagement', hint: 'What the consultation covers' },
  session_date: { name: 'session_date', label: 'Consultation date', hint: 'Date and time of the video consultation' },
  jurisdiction: { name: 'jurisdiction', label: 'Jurisdiction', hint: 'Where you are admitted to practise' },
  effective_date: { name: 'effective_date', label: 'Effective date' },
} as const;

export const PLATFORM_TEMPLATES: readonly SeededTemplate[] = [
  {
    name: 'Engagement letter — consultation',
    description:
      'Engages the lawyer for one paid video consultation: scope, fee, governing rules, confidentiality and limits of the advice.',
    variables: [
      PARTY_VARIABLES.client_name,
      PARTY_VARIABLES.client_email,
      PARTY_VARIABLES.lawyer_name,
      PARTY_VARIABLES.lawyer_email,
      PARTY_VARIABLES.scope,
      PARTY_VARIABLES.session_date,
      PARTY_VARIABLES.fee,
      PARTY_VARIABLES.jurisdiction,
      PARTY_VARIABLES.effective_date,
    ],
    body: `# Engagement Letter — Legal Consultation

Date: {{effective_date}}

## 1. Parties
This engagement letter is made between {{client_name}} ({{client_email}}), the "Client", and {{lawyer_name}} ({{lawyer_email}}), the "Lawyer". It is concluded and signed through the LexMarket platform.

## 2. Scope of the engagement
The Client engages the Lawyer for the following consultation: {{scope}}.
The consultation is held by video on {{session_date}}.

The engagement includes:
- reviewing the information and documents the Client provides before or during the consultation;
- an oral assessment of the Client's situation, the options available and their main risks;
- the Lawyer's recommendation on the next steps.

Unless the parties agree otherwise in writing, the engagement does not include drafting documents, correspondence or negotiation with third parties, or representation before any court or authority.

## 3. Fee
The fee for the consultation is {{fee}}, paid in advance through the platform. It covers the scope described above and nothing else. Further work requires a separate written agreement with its own fee.

## 4. Cancellation
Cancellations and refunds follow the platform's cancellation policy shown to the Client at booking.

## 5. Applicable law and professional rules
The Lawyer is admitted to practise in: {{jurisdiction}}. The advice concerns only the law in force there and is given under the professional rules that apply there. Where a question needs advice under another law, the Lawyer will say so.

## 6. Confidentiality
The Lawyer keeps everything the Client shares in connection with this engagement confidential, under the duty of professional secrecy, except where disclosure is required by law. The consultation is recorded only if both parties agree to it at the start of the call.

## 7. Conflicts of interest
On the information available, the Lawyer has found no conflict of interest. The Lawyer will tell the Client at once if a conflict arises and may then have to end the engagement.

## 8. The Client's responsibilities
- Give complete and accurate information, including any deadline that applies to the matter.
- Tell the Lawyer promptly about any change in the facts.
- Use the advice for the Client's own matter only.

## 9. Limits of the advice
The advice is based on the facts the Client gives and on the law in force on the date of the consultation. It is not a guarantee of any outcome.

## 10. Term
This engagement starts on {{effective_date}} and ends when the consultation has been given, unless the parties extend it in writing.

## 11. Electronic signature
Each party signs this letter electronically. By signing, each party confirms having read it, agrees to its terms and accepts that the electronic signature has the same effect as a handwritten one.`,
  },
  {
    name: 'Non-disclosure agreement (mutual)',
    description:
      'A mutual confidentiality agreement before information is exchanged: what is confidential, how it may be used, and for how long.',
    variables: [
      PARTY_VARIABLES.client_name,
      PARTY_VARIABLES.lawyer_name,
      PARTY_VARIABLES.effective_date,
      PARTY_VARIABLES.jurisdiction,
      {
        name: 'purpose',
        label: 'Purpose',
        hint: 'Why the information is shared, e.g. "assessing a claim against a former employer"',
      },
      {
        name: 'term_years',
        label: 'Years of confidentiality',
        hint: 'How long the obligations last after the agreement ends, e.g. 3',
      },
    ],
    body: `# Mutual Non-Disclosure Agreement

This agreement takes effect on {{effective_date}} between {{client_name}} and {{lawyer_name}}, each a "Party" and together the "Parties".

## 1. Purpose
The Parties intend to share information for the following purpose: {{purpose}} (the "Purpose").

## 2. Confidential information
"Confidential Information" means any information a Party discloses to the other in connection with the Purpose, in any form, that is marked as confidential or that a reasonable person would understand to be confidential.

Confidential Information does not include information that:
- is or becomes public other than through a breach of this agreement;
- the receiving Party already lawfully knew before the disclosure;
- the receiving Party lawfully receives from a third party without a duty of confidentiality;
- the receiving Party develops independently, without using the Confidential Information.

## 3. Obligations
Each Party receiving Confidential Information shall:
- use it only for the Purpose;
- not disclose it to anyone except those who need to know it for the Purpose and are bound by duties of confidentiality at least as strict as these;
- protect it with at least the care it uses for its own confidential information, and never less than reasonable care.

## 4. Disclosure required by law
A Party may disclose Confidential Information where the law, a court or an authority requires it, after telling the other Party (where the law allows) so that it can seek protection.

## 5. Return and destruction
On request, or when the Purpose ends, each Party shall return or destroy the other Party's Confidential Information, except copies it must keep by law or professional rules, which remain confidential.

## 6. Duration
The obligations of this agreement continue for {{term_years}} years after it ends. The Lawyer's duty of professional secrecy is not limited by this period.

## 7. No other rights
This agreement grants no licence or other right in the Confidential Information and does not oblige either Party to enter into any further agreement.

## 8. Governing law
This agreement is governed by the law of {{jurisdiction}}. The courts there have jurisdiction over any dispute arising from it.

## 9. Electronic signature
The Parties sign this agreement electronically and accept that their electronic signatures have the same effect as handwritten ones.`,
  },
  {
    name: 'Fee agreement',
    description: 'Agrees the fees for work beyond the first consultation: rate, estimate, expenses, invoicing and payment terms.',
    variables: [
      PARTY_VARIABLES.client_name,
      PARTY_VARIABLES.lawyer_name,
      PARTY_VARIABLES.effective_date,
      PARTY_VARIABLES.scope,
      PARTY_VARIABLES.fee,
      PARTY_VARIABLES.currency,
      PARTY_VARIABLES.jurisdiction,
      { name: 'hourly_rate', label: 'Hourly rate', hint: 'Rate for further work, e.g. 180.00 EUR per hour' },
      { name: 'estimate', label: 'Estimate', hint: 'Your estimate of the total fees for the further work' },
      { name: 'payment_terms', label: 'Payment terms', hint: 'e.g. "within 14 days of the invoice, by bank transfer"' },
    ],
    body: `# Fee Agreement

This fee agreement takes effect on {{effective_date}} between {{client_name}}, the "Client", and {{lawyer_name}}, the "Lawyer".

## 1. The work
The Client has had a consultation with the Lawyer on: {{scope}}. The fee of {{fee}} for that consultation was paid through the platform and is not affected by this agreement.

This agreement covers the further work the Client asks the Lawyer to do on the same matter.

## 2. Fees
- Further work is charged at {{hourly_rate}}, recorded in units of six minutes.
- The Lawyer's estimate of the fees for the further work is {{estimate}}. It is an estimate, not a fixed price.
- The Lawyer will tell the Client in writing before the fees are likely to exceed the estimate, and will not exceed it by more than ten percent without the Client's written consent.
- All amounts are in {{currency}} and exclude any value added tax, which is added where it applies.

## 3. Expenses
Court fees, registry fees, translations and other expenses paid to third parties are charged at cost, and only with the Client's prior consent when a single expense exceeds the amount agreed in writing.

## 4. Invoices and payment
The Lawyer invoices the work done at the end of each month, with a description of the work and the time spent. The Client pays each invoice {{payment_terms}}.

## 5. Ending the work
The Client may end the work at any time by telling the Lawyer in writing; fees for the work done until then remain due. The Lawyer may end the work for good reason under the professional rules of {{jurisdiction}}, with reasonable notice.

## 6. Complaints
If the Client is unhappy with the work or an invoice, the Client should tell the Lawyer first. The professional body of the Lawyer's jurisdiction can also receive complaints.

## 7. Governing law
This agreement is governed by the law of {{jurisdiction}}.

## 8. Electronic signature
The parties sign this agreement electronically and accept that their electronic signatures have the same effect as handwritten ones.`,
  },
];
