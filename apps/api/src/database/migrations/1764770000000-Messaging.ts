import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * End-to-end encrypted client–lawyer messaging (issue 16), owned by the messaging module. The
 * server keeps public keys, keys sealed to devices, ciphertext and who/when: never plaintext,
 * never a private key (the key backup is wrapped in the browser with a key derived from the
 * user's recovery code).
 *
 * - `e2ee_identities`: per user, the Ed25519 identity key, the X25519 backup key with the
 *   identity key's signature over it, and the wrapped key backup (Argon2id parameters, nonce,
 *   AES-GCM ciphertext). Replaced as a whole by an identity reset; never deleted.
 * - `e2ee_devices`: a user's browsers: X25519 and Ed25519 public keys with the identity key's
 *   certificate, the identity key that certified them, a label; revoked once (never un-revoked,
 *   keys never change, never deleted).
 * - `conversations`: one per (client user, lawyer user) pair, opened when a session of the pair
 *   is paid (backfilled below for sessions paid before this migration). `current_epoch` only
 *   moves up by one, to an epoch that exists; the pair never changes; never deleted.
 * - `conversation_epochs`: each content-key epoch: recipients (`device:<id>` / `backup:<userId>`),
 *   the key sealed (HPKE) to each of them, and the creator device's signature. Append-only.
 * - `conversation_messages`: ciphertext padded to a size bucket (+16 B GCM tag), nonce, the
 *   sender device's signature, epoch, sender and time. Append-only: a message never changes.
 * - `message_attachments`: encrypted files in the blob store (key, size, uploader), linked once
 *   to the message that carries their keys; an upload never linked may be removed.
 * - `conversation_reads`: per participant, the newest message read (moves forward only) and when
 *   the last "new message" email went out (one email until the next read).
 * - `session_notes`: a session's shared agenda and each participant's private note, encrypted
 *   with the conversation's key; the version grows by one per save.
 *
 * Every binary column has a CHECK on its exact size (or size bucket), so a bug or a crafted
 * request can never store anything that is not the shape of a ciphertext or a public key.
 */
export class Messaging1764770000000 implements MigrationInterface {
  name = 'Messaging1764770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE e2ee_identities (
        user_id              uuid        NOT NULL,
        identity_key         bytea       NOT NULL,
        backup_key           bytea       NOT NULL,
        backup_key_signature bytea       NOT NULL,
        backup_version       smallint    NOT NULL,
        kdf_alg              text        NOT NULL,
        kdf_salt             bytea       NOT NULL,
        kdf_memory_kib       integer     NOT NULL,
        kdf_iterations       integer     NOT NULL,
        kdf_parallelism      integer     NOT NULL,
        backup_nonce         bytea       NOT NULL,
        backup_ciphertext    bytea       NOT NULL,
        created_at           timestamptz NOT NULL,
        CONSTRAINT pk_e2ee_identities PRIMARY KEY (user_id),
        CONSTRAINT fk_e2ee_identities_user FOREIGN KEY (user_id) REFERENCES users (id),
        CONSTRAINT ck_e2ee_identities_keys CHECK (
          octet_length(identity_key) = 32 AND octet_length(backup_key) = 32 AND octet_length(backup_key_signature) = 64),
        CONSTRAINT ck_e2ee_identities_backup CHECK (
          backup_version = 1 AND kdf_alg = 'argon2id' AND octet_length(kdf_salt) = 16
          AND kdf_memory_kib BETWEEN 19456 AND 1048576 AND kdf_iterations BETWEEN 1 AND 10 AND kdf_parallelism BETWEEN 1 AND 4
          AND octet_length(backup_nonce) = 12 AND octet_length(backup_ciphertext) BETWEEN 16 AND 4096)
      )`);

    await q.query(`
      CREATE TABLE e2ee_devices (
        id                uuid        NOT NULL,
        user_id           uuid        NOT NULL,
        identity_key      bytea       NOT NULL,
        x25519_public_key bytea       NOT NULL,
        ed25519_public_key bytea      NOT NULL,
        certificate       bytea       NOT NULL,
        label             text        NOT NULL,
        created_at        timestamptz NOT NULL,
        revoked_at        timestamptz NULL,
        CONSTRAINT pk_e2ee_devices PRIMARY KEY (id),
        CONSTRAINT fk_e2ee_devices_user FOREIGN KEY (user_id) REFERENCES users (id),
        CONSTRAINT ck_e2ee_devices_keys CHECK (
          octet_length(identity_key) = 32 AND octet_length(x25519_public_key) = 32
          AND octet_length(ed25519_public_key) = 32 AND octet_length(certificate) = 64),
        CONSTRAINT ck_e2ee_devices_label CHECK (char_length(label) BETWEEN 1 AND 80),
        CONSTRAINT ck_e2ee_devices_revoked CHECK (revoked_at IS NULL OR revoked_at >= created_at)
      )`);
    await q.query(`CREATE INDEX ix_e2ee_devices_user ON e2ee_devices (user_id, created_at)`);
    await q.query(`CREATE INDEX ix_e2ee_devices_user_active ON e2ee_devices (user_id) WHERE revoked_at IS NULL`);

    await q.query(`
      CREATE TABLE conversations (
        id                uuid        NOT NULL DEFAULT gen_random_uuid(),
        client_id         uuid        NOT NULL,
        lawyer_id         uuid        NOT NULL,
        opened_session_id uuid        NULL,
        current_epoch     integer     NOT NULL DEFAULT 0,
        created_at        timestamptz NOT NULL,
        last_message_at   timestamptz NULL,
        activity_at       timestamptz NOT NULL,
        CONSTRAINT pk_conversations PRIMARY KEY (id),
        CONSTRAINT uq_conversations_pair UNIQUE (client_id, lawyer_id),
        CONSTRAINT fk_conversations_client FOREIGN KEY (client_id) REFERENCES users (id),
        CONSTRAINT fk_conversations_lawyer FOREIGN KEY (lawyer_id) REFERENCES users (id),
        CONSTRAINT fk_conversations_session FOREIGN KEY (opened_session_id) REFERENCES legal_sessions (id),
        CONSTRAINT ck_conversations_pair CHECK (client_id <> lawyer_id),
        CONSTRAINT ck_conversations_epoch CHECK (current_epoch >= 0),
        CONSTRAINT ck_conversations_activity CHECK (activity_at >= created_at AND (last_message_at IS NULL OR activity_at >= last_message_at))
      )`);
    // A participant's list, newest activity first (keyset pagination on activity_at, id).
    await q.query(`CREATE INDEX ix_conversations_client_activity ON conversations (client_id, activity_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_conversations_lawyer_activity ON conversations (lawyer_id, activity_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE conversation_epochs (
        conversation_id   uuid        NOT NULL,
        epoch             integer     NOT NULL,
        creator_device_id uuid        NOT NULL,
        recipients        text[]      NOT NULL,
        sealed            jsonb       NOT NULL,
        signature         bytea       NOT NULL,
        created_at        timestamptz NOT NULL,
        CONSTRAINT pk_conversation_epochs PRIMARY KEY (conversation_id, epoch),
        CONSTRAINT fk_conversation_epochs_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id),
        CONSTRAINT fk_conversation_epochs_creator FOREIGN KEY (creator_device_id) REFERENCES e2ee_devices (id),
        CONSTRAINT ck_conversation_epochs_epoch CHECK (epoch >= 1),
        CONSTRAINT ck_conversation_epochs_recipients CHECK (
          cardinality(recipients) BETWEEN 1 AND 100 AND jsonb_typeof(sealed) = 'array'
          AND jsonb_array_length(sealed) = cardinality(recipients)),
        CONSTRAINT ck_conversation_epochs_signature CHECK (octet_length(signature) = 64)
      )`);

    await q.query(`
      CREATE TABLE conversation_messages (
        id               uuid        NOT NULL,
        conversation_id  uuid        NOT NULL,
        sender_user_id   uuid        NOT NULL,
        sender_device_id uuid        NOT NULL,
        epoch            integer     NOT NULL,
        nonce            bytea       NOT NULL,
        ciphertext       bytea       NOT NULL,
        signature        bytea       NOT NULL,
        attachment_ids   uuid[]      NOT NULL DEFAULT '{}',
        created_at       timestamptz NOT NULL,
        CONSTRAINT pk_conversation_messages PRIMARY KEY (id),
        CONSTRAINT uq_conversation_messages_conversation UNIQUE (conversation_id, id),
        CONSTRAINT fk_conversation_messages_epoch FOREIGN KEY (conversation_id, epoch) REFERENCES conversation_epochs (conversation_id, epoch),
        CONSTRAINT fk_conversation_messages_sender FOREIGN KEY (sender_user_id) REFERENCES users (id),
        CONSTRAINT fk_conversation_messages_device FOREIGN KEY (sender_device_id) REFERENCES e2ee_devices (id),
        CONSTRAINT ck_conversation_messages_nonce CHECK (octet_length(nonce) = 12),
        CONSTRAINT ck_conversation_messages_ciphertext CHECK (octet_length(ciphertext) IN (272, 1040, 4112, 16400, 65552)),
        CONSTRAINT ck_conversation_messages_signature CHECK (octet_length(signature) = 64),
        CONSTRAINT ck_conversation_messages_attachments CHECK (cardinality(attachment_ids) <= 10)
      )`);
    // History pages (newest first, keyset on created_at, id) and unread counts after a read marker.
    await q.query(
      `CREATE INDEX ix_conversation_messages_page ON conversation_messages (conversation_id, created_at DESC, id DESC)`,
    );

    await q.query(`
      CREATE TABLE message_attachments (
        id              uuid        NOT NULL,
        conversation_id uuid        NOT NULL,
        uploader_id     uuid        NOT NULL,
        blob_key        text        NOT NULL,
        size            bigint      NOT NULL,
        created_at      timestamptz NOT NULL,
        message_id      uuid        NULL,
        CONSTRAINT pk_message_attachments PRIMARY KEY (id),
        CONSTRAINT uq_message_attachments_blob_key UNIQUE (blob_key),
        CONSTRAINT fk_message_attachments_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id),
        CONSTRAINT fk_message_attachments_uploader FOREIGN KEY (uploader_id) REFERENCES users (id),
        CONSTRAINT fk_message_attachments_message FOREIGN KEY (conversation_id, message_id) REFERENCES conversation_messages (conversation_id, id),
        CONSTRAINT ck_message_attachments_size CHECK (size BETWEEN 16 AND 26214416),
        CONSTRAINT ck_message_attachments_blob_key CHECK (char_length(blob_key) BETWEEN 1 AND 512)
      )`);
    await q.query(`CREATE INDEX ix_message_attachments_message ON message_attachments (message_id) WHERE message_id IS NOT NULL`);
    await q.query(
      `CREATE INDEX ix_message_attachments_unlinked ON message_attachments (uploader_id, created_at) WHERE message_id IS NULL`,
    );

    await q.query(`
      CREATE TABLE conversation_reads (
        conversation_id    uuid        NOT NULL,
        user_id            uuid        NOT NULL,
        message_id         uuid        NULL,
        message_created_at timestamptz NULL,
        read_at            timestamptz NULL,
        notified_at        timestamptz NULL,
        CONSTRAINT pk_conversation_reads PRIMARY KEY (conversation_id, user_id),
        CONSTRAINT fk_conversation_reads_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id),
        CONSTRAINT fk_conversation_reads_user FOREIGN KEY (user_id) REFERENCES users (id),
        CONSTRAINT fk_conversation_reads_message FOREIGN KEY (conversation_id, message_id) REFERENCES conversation_messages (conversation_id, id),
        CONSTRAINT ck_conversation_reads_marker CHECK ((message_id IS NULL) = (message_created_at IS NULL) AND (message_id IS NULL) = (read_at IS NULL))
      )`);

    await q.query(`
      CREATE TABLE session_notes (
        id               uuid        NOT NULL DEFAULT gen_random_uuid(),
        session_id       uuid        NOT NULL,
        conversation_id  uuid        NOT NULL,
        kind             text        NOT NULL,
        owner_user_id    uuid        NULL,
        author_user_id   uuid        NOT NULL,
        version          integer     NOT NULL,
        epoch            integer     NOT NULL,
        sender_device_id uuid        NOT NULL,
        nonce            bytea       NOT NULL,
        ciphertext       bytea       NOT NULL,
        signature        bytea       NOT NULL,
        updated_at       timestamptz NOT NULL,
        CONSTRAINT pk_session_notes PRIMARY KEY (id),
        CONSTRAINT fk_session_notes_session FOREIGN KEY (session_id) REFERENCES legal_sessions (id),
        CONSTRAINT fk_session_notes_epoch FOREIGN KEY (conversation_id, epoch) REFERENCES conversation_epochs (conversation_id, epoch),
        CONSTRAINT fk_session_notes_owner FOREIGN KEY (owner_user_id) REFERENCES users (id),
        CONSTRAINT fk_session_notes_author FOREIGN KEY (author_user_id) REFERENCES users (id),
        CONSTRAINT fk_session_notes_device FOREIGN KEY (sender_device_id) REFERENCES e2ee_devices (id),
        CONSTRAINT ck_session_notes_kind CHECK (kind IN ('AGENDA', 'PRIVATE')),
        -- The agenda is shared (no owner); a private note belongs to its only author.
        CONSTRAINT ck_session_notes_owner CHECK (
          (kind = 'AGENDA' AND owner_user_id IS NULL) OR (kind = 'PRIVATE' AND owner_user_id = author_user_id)),
        CONSTRAINT ck_session_notes_version CHECK (version >= 1),
        CONSTRAINT ck_session_notes_nonce CHECK (octet_length(nonce) = 12),
        CONSTRAINT ck_session_notes_ciphertext CHECK (octet_length(ciphertext) IN (272, 1040, 4112, 16400)),
        CONSTRAINT ck_session_notes_signature CHECK (octet_length(signature) = 64)
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_session_notes_agenda ON session_notes (session_id) WHERE kind = 'AGENDA'`);
    await q.query(
      `CREATE UNIQUE INDEX uq_session_notes_private ON session_notes (session_id, owner_user_id) WHERE kind = 'PRIVATE'`,
    );

    // Epochs and messages are history: never changed, never removed.
    for (const table of ['conversation_epochs', 'conversation_messages']) {
      await q.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()`);
    }
    for (const table of ['e2ee_identities', 'e2ee_devices', 'conversations', 'message_attachments', 'session_notes']) {
      await q.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()`);
    }

    await q.query(`
      CREATE FUNCTION e2ee_identities_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'DELETE on table "e2ee_identities" is not allowed: an identity is replaced by a reset, never removed'
            USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.user_id <> OLD.user_id THEN
          RAISE EXCEPTION 'UPDATE of e2ee_identities is not allowed: an identity never changes owner' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER e2ee_identities_guard BEFORE UPDATE OR DELETE ON e2ee_identities
        FOR EACH ROW EXECUTE FUNCTION e2ee_identities_guard()`);

    // A device is revoked once; its keys, owner and certificate never change.
    await q.query(`
      CREATE FUNCTION e2ee_devices_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'DELETE on table "e2ee_devices" is not allowed: revoke the device instead' USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL
           OR (NEW.id, NEW.user_id, NEW.identity_key, NEW.x25519_public_key, NEW.ed25519_public_key, NEW.certificate, NEW.label, NEW.created_at)
              IS DISTINCT FROM
              (OLD.id, OLD.user_id, OLD.identity_key, OLD.x25519_public_key, OLD.ed25519_public_key, OLD.certificate, OLD.label, OLD.created_at) THEN
          RAISE EXCEPTION 'UPDATE of device % is not allowed: a device is only ever revoked, once', OLD.id USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER e2ee_devices_guard BEFORE UPDATE OR DELETE ON e2ee_devices
        FOR EACH ROW EXECUTE FUNCTION e2ee_devices_guard()`);

    // The pair is fixed; the epoch moves up by exactly one, to an epoch that was written first.
    await q.query(`
      CREATE FUNCTION conversations_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'DELETE on table "conversations" is not allowed: conversations are never removed' USING ERRCODE = 'restrict_violation';
        END IF;
        IF (NEW.id, NEW.client_id, NEW.lawyer_id, NEW.created_at) IS DISTINCT FROM (OLD.id, OLD.client_id, OLD.lawyer_id, OLD.created_at)
           OR NEW.opened_session_id IS DISTINCT FROM OLD.opened_session_id THEN
          RAISE EXCEPTION 'UPDATE of conversation % is not allowed: its participants and origin never change', OLD.id
            USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.current_epoch <> OLD.current_epoch AND (NEW.current_epoch <> OLD.current_epoch + 1 OR NOT EXISTS (
             SELECT 1 FROM conversation_epochs e WHERE e.conversation_id = NEW.id AND e.epoch = NEW.current_epoch)) THEN
          RAISE EXCEPTION 'UPDATE of conversation % is not allowed: the epoch moves from % only to % (written first)', OLD.id,
            OLD.current_epoch, OLD.current_epoch + 1 USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER conversations_guard BEFORE UPDATE OR DELETE ON conversations
        FOR EACH ROW EXECUTE FUNCTION conversations_guard()`);

    // An attachment is linked to its message once; only an upload never linked may be removed.
    await q.query(`
      CREATE FUNCTION message_attachments_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.message_id IS NOT NULL THEN
            RAISE EXCEPTION 'DELETE of attachment % is not allowed: it belongs to a message', OLD.id USING ERRCODE = 'restrict_violation';
          END IF;
          RETURN OLD;
        END IF;
        IF OLD.message_id IS NOT NULL OR NEW.message_id IS NULL
           OR (NEW.id, NEW.conversation_id, NEW.uploader_id, NEW.blob_key, NEW.size, NEW.created_at)
              IS DISTINCT FROM (OLD.id, OLD.conversation_id, OLD.uploader_id, OLD.blob_key, OLD.size, OLD.created_at) THEN
          RAISE EXCEPTION 'UPDATE of attachment % is not allowed: it is only ever linked to one message, once', OLD.id
            USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER message_attachments_guard BEFORE UPDATE OR DELETE ON message_attachments
        FOR EACH ROW EXECUTE FUNCTION message_attachments_guard()`);

    // A note's identity is fixed; each save is the next version.
    await q.query(`
      CREATE FUNCTION session_notes_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'DELETE on table "session_notes" is not allowed' USING ERRCODE = 'restrict_violation';
        END IF;
        IF (NEW.id, NEW.session_id, NEW.conversation_id, NEW.kind) IS DISTINCT FROM (OLD.id, OLD.session_id, OLD.conversation_id, OLD.kind)
           OR NEW.owner_user_id IS DISTINCT FROM OLD.owner_user_id OR NEW.version <> OLD.version + 1 THEN
          RAISE EXCEPTION 'UPDATE of note % is not allowed: only the next version of the same note is saved', OLD.id
            USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER session_notes_guard BEFORE UPDATE OR DELETE ON session_notes
        FOR EACH ROW EXECUTE FUNCTION session_notes_guard()`);

    // Backfill: every client–lawyer pair with a session paid before this migration gets its
    // conversation, dated when the pair's first session was paid (to the millisecond, the
    // precision of the list's keyset cursor). No audit entry: the audit chain is appended by the
    // application only; the conversation's opened_session_id names where it came from.
    await q.query(`
      INSERT INTO conversations (client_id, lawyer_id, opened_session_id, created_at, activity_at)
      SELECT DISTINCT ON (s.client_id, s.lawyer_id) s.client_id, s.lawyer_id, s.id,
             date_trunc('milliseconds', s.paid_at), date_trunc('milliseconds', s.paid_at)
        FROM legal_sessions s
       WHERE s.paid_at IS NOT NULL AND s.client_id <> s.lawyer_id
       ORDER BY s.client_id, s.lawyer_id, s.paid_at, s.id
      ON CONFLICT (client_id, lawyer_id) DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE session_notes');
    await q.query('DROP TABLE conversation_reads');
    await q.query('DROP TABLE message_attachments');
    await q.query('DROP TABLE conversation_messages');
    await q.query('DROP TABLE conversation_epochs');
    await q.query('DROP TABLE conversations');
    await q.query('DROP TABLE e2ee_devices');
    await q.query('DROP TABLE e2ee_identities');
    await q.query('DROP FUNCTION session_notes_guard()');
    await q.query('DROP FUNCTION message_attachments_guard()');
    await q.query('DROP FUNCTION conversations_guard()');
    await q.query('DROP FUNCTION e2ee_devices_guard()');
    await q.query('DROP FUNCTION e2ee_identities_guard()');
  }
}
