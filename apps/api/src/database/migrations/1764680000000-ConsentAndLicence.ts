import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-up consent and the lawyer's licence document (issue 11 #11, #12).
 * - `users.terms_version` / `terms_accepted_at`: the terms-of-service and privacy-policy version
 *   the person accepted at sign-up, and when. Null for accounts created before consent was
 *   recorded, or by an admin or the CLI (those people never saw the sign-up form).
 * - `lawyer_profiles.licence_*`: the uploaded bar licence (PDF, PNG or JPEG) in the BlobStore,
 *   content-addressed like the photo; only admins can download it.
 */
export class ConsentAndLicence1764680000000 implements MigrationInterface {
  name = 'ConsentAndLicence1764680000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN terms_version text, ADD COLUMN terms_accepted_at timestamptz`);
    await q.query(
      `ALTER TABLE users ADD CONSTRAINT ck_users_terms CHECK ((terms_version IS NULL) = (terms_accepted_at IS NULL))`,
    );
    await q.query(`
      ALTER TABLE lawyer_profiles
        ADD COLUMN licence_key text,
        ADD COLUMN licence_sha256 text,
        ADD COLUMN licence_content_type text,
        ADD COLUMN licence_size integer,
        ADD COLUMN licence_uploaded_at timestamptz`);
    await q.query(`
      ALTER TABLE lawyer_profiles ADD CONSTRAINT ck_lawyer_profiles_licence CHECK (
        (licence_key IS NULL AND licence_sha256 IS NULL AND licence_content_type IS NULL AND licence_size IS NULL AND licence_uploaded_at IS NULL)
        OR (licence_key IS NOT NULL AND licence_sha256 ~ '^[0-9a-f]{64}$'
            AND licence_content_type IN ('application/pdf', 'image/png', 'image/jpeg')
            AND licence_size > 0 AND licence_uploaded_at IS NOT NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE lawyer_profiles DROP CONSTRAINT ck_lawyer_profiles_licence`);
    await q.query(`
      ALTER TABLE lawyer_profiles
        DROP COLUMN licence_key, DROP COLUMN licence_sha256, DROP COLUMN licence_content_type,
        DROP COLUMN licence_size, DROP COLUMN licence_uploaded_at`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_terms`);
    await q.query(`ALTER TABLE users DROP COLUMN terms_version, DROP COLUMN terms_accepted_at`);
  }
}
