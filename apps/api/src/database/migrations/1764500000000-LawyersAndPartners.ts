import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lawyer profiles with their verification state, and partner referral attribution.
 *
 * `lawyer_profiles`: one row per LAWYER account (created at sign-up, or on first use for
 * accounts created otherwise). Only VERIFIED profiles of ACTIVE users are shown to others.
 * The practice areas are the curated list of libs/domain PRACTICE_AREAS, frozen here: adding
 * one takes a migration that replaces ck_lawyer_profiles_practice_areas.
 *
 * `partner_referral_codes`: one short code per PARTNER (8 characters of Crockford base32).
 * `referrals`: first-touch attribution of a sign-up to a partner. One row per referred user,
 * never changed: UPDATE, DELETE and TRUNCATE are refused by the generic `reject_mutation()`
 * trigger of the audit migration, so a referral cannot be re-attributed, even with raw SQL.
 */
export class LawyersAndPartners1764500000000 implements MigrationInterface {
  name = 'LawyersAndPartners1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE lawyer_profiles (
        user_id            uuid        NOT NULL,
        bar_number         text        NULL,
        bar_jurisdiction   text        NULL,
        jurisdictions      text[]      NOT NULL DEFAULT '{}',
        practice_areas     text[]      NOT NULL DEFAULT '{}',
        languages          text[]      NOT NULL DEFAULT '{}',
        bio                text        NOT NULL DEFAULT '',
        photo_key          text        NULL,
        photo_sha256       text        NULL,
        photo_content_type text        NULL,
        status             text        NOT NULL DEFAULT 'PENDING_VERIFICATION',
        rejection_reason   text        NULL,
        verified_at        timestamptz NULL,
        verified_by        uuid        NULL,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_lawyer_profiles PRIMARY KEY (user_id),
        CONSTRAINT fk_lawyer_profiles_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT ck_lawyer_profiles_status CHECK (status IN ('PENDING_VERIFICATION', 'VERIFIED', 'REJECTED')),
        CONSTRAINT ck_lawyer_profiles_bar_number CHECK (bar_number IS NULL OR char_length(bar_number) BETWEEN 1 AND 64),
        CONSTRAINT ck_lawyer_profiles_bar_jurisdiction CHECK (bar_jurisdiction IS NULL OR char_length(bar_jurisdiction) BETWEEN 1 AND 100),
        CONSTRAINT ck_lawyer_profiles_jurisdictions CHECK (
          cardinality(jurisdictions) <= 20 AND array_position(jurisdictions, NULL) IS NULL
        ),
        CONSTRAINT ck_lawyer_profiles_practice_areas CHECK (
          array_position(practice_areas, NULL) IS NULL AND practice_areas <@ ARRAY[
            'family', 'employment', 'immigration', 'criminal-defense', 'real-estate', 'corporate',
            'intellectual-property', 'tax', 'wills-and-estates', 'personal-injury', 'consumer', 'data-privacy'
          ]::text[]
        ),
        CONSTRAINT ck_lawyer_profiles_languages CHECK (
          cardinality(languages) <= 20
          AND array_position(languages, NULL) IS NULL
          AND array_to_string(languages, ',') ~ '^([a-z]{2}(,[a-z]{2})*)?$'
        ),
        CONSTRAINT ck_lawyer_profiles_bio CHECK (char_length(bio) <= 4000),
        CONSTRAINT ck_lawyer_profiles_photo CHECK (
          (photo_key IS NULL AND photo_sha256 IS NULL AND photo_content_type IS NULL)
          OR (photo_key IS NOT NULL AND photo_sha256 ~ '^[0-9a-f]{64}$' AND photo_content_type IN ('image/jpeg', 'image/png', 'image/webp'))
        ),
        CONSTRAINT ck_lawyer_profiles_rejection CHECK (
          (status = 'REJECTED') = (rejection_reason IS NOT NULL)
          AND (rejection_reason IS NULL OR char_length(rejection_reason) BETWEEN 1 AND 1000)
        ),
        CONSTRAINT ck_lawyer_profiles_verified CHECK ((status = 'VERIFIED') = (verified_at IS NOT NULL AND verified_by IS NOT NULL))
      )
    `);
    // The admin verification queue: oldest first within a status.
    await q.query('CREATE INDEX ix_lawyer_profiles_status ON lawyer_profiles (status, created_at, user_id)');

    await q.query(`
      CREATE TABLE partner_referral_codes (
        partner_id uuid        NOT NULL,
        code       text        NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_partner_referral_codes PRIMARY KEY (partner_id),
        CONSTRAINT uq_partner_referral_codes_code UNIQUE (code),
        CONSTRAINT fk_partner_referral_codes_partner FOREIGN KEY (partner_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT ck_partner_referral_codes_code CHECK (code ~ '^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$')
      )
    `);

    // No ON DELETE CASCADE: attribution must outlive accidental deletes (and a cascade would be
    // refused by the trigger anyway).
    await q.query(`
      CREATE TABLE referrals (
        id               uuid        NOT NULL DEFAULT gen_random_uuid(),
        partner_id       uuid        NOT NULL,
        referred_user_id uuid        NOT NULL,
        role             text        NOT NULL,
        code             text        NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_referrals PRIMARY KEY (id),
        CONSTRAINT uq_referrals_referred_user UNIQUE (referred_user_id),
        CONSTRAINT fk_referrals_partner FOREIGN KEY (partner_id) REFERENCES users (id),
        CONSTRAINT fk_referrals_referred_user FOREIGN KEY (referred_user_id) REFERENCES users (id),
        CONSTRAINT ck_referrals_not_self CHECK (partner_id <> referred_user_id),
        CONSTRAINT ck_referrals_role CHECK (role IN ('CLIENT', 'LAWYER', 'PARTNER')),
        CONSTRAINT ck_referrals_code CHECK (code ~ '^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$')
      )
    `);
    await q.query('CREATE INDEX ix_referrals_partner ON referrals (partner_id, created_at DESC, id DESC)');
    await q.query(`
      CREATE TRIGGER referrals_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON referrals
        FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE referrals');
    await q.query('DROP TABLE partner_referral_codes');
    await q.query('DROP TABLE lawyer_profiles');
  }
}
