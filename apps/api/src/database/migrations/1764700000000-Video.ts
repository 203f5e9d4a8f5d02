import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The video module (issue 12): rooms, participants, the attendance log, provider callbacks,
 * peer-to-peer signalling and recordings kept in our own blob store.
 *
 * - `video_rooms`: one per session (the primary key is what makes 20 concurrent first joins
 *   create one room). `room_name` and every participant `identity` are opaque random ids: the
 *   provider never learns a person's name or email.
 * - `video_participants`: the join identity and the recording consent of each participant.
 * - `video_attendance` and `video_callbacks` are append-only (`reject_mutation()`): the
 *   attendance log is evidence for no-show reports; callbacks are kept as received.
 *   `(provider, dedupe_key)` is unique, so a redelivered callback is stored and applied once.
 * - `video_signals`: WebRTC offers, answers and candidates relayed between the two browsers of a
 *   peer-to-peer call (`NOTIFY video_signals` carries the row id, so any replica can deliver).
 * - `recordings` and `recording_chunks`: a recording's bytes live in the blob store; the row
 *   holds their SHA-256, size and the audit sequence of the entry that sealed them.
 */
export class Video1764700000000 implements MigrationInterface {
  name = 'Video1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE video_rooms (
        session_id               uuid        NOT NULL,
        provider                 text        NOT NULL,
        room_name                text        NOT NULL,
        provider_room_sid        text,
        status                   text        NOT NULL DEFAULT 'open',
        recording_rules_set_at   timestamptz,
        recording_stopped_at     timestamptz,
        ended_at                 timestamptz,
        composition_sid          text,
        composition_requested_at timestamptz,
        created_at               timestamptz NOT NULL,
        updated_at               timestamptz NOT NULL,
        CONSTRAINT pk_video_rooms PRIMARY KEY (session_id),
        CONSTRAINT fk_video_rooms_session FOREIGN KEY (session_id) REFERENCES legal_sessions (id),
        CONSTRAINT uq_video_rooms_name UNIQUE (room_name),
        CONSTRAINT uq_video_rooms_provider_sid UNIQUE (provider_room_sid),
        CONSTRAINT uq_video_rooms_composition UNIQUE (composition_sid),
        CONSTRAINT ck_video_rooms_provider CHECK (provider IN ('twilio', 'p2p')),
        CONSTRAINT ck_video_rooms_status CHECK (status IN ('open', 'ended'))
      )
    `);
    await q.query(`
      CREATE TABLE video_participants (
        session_id           uuid        NOT NULL,
        user_id              uuid        NOT NULL,
        identity             text        NOT NULL,
        role                 text        NOT NULL,
        recording_consent_at timestamptz,
        created_at           timestamptz NOT NULL,
        CONSTRAINT pk_video_participants PRIMARY KEY (session_id, user_id),
        CONSTRAINT fk_video_participants_room FOREIGN KEY (session_id) REFERENCES video_rooms (session_id),
        CONSTRAINT fk_video_participants_user FOREIGN KEY (user_id) REFERENCES users (id),
        CONSTRAINT uq_video_participants_identity UNIQUE (identity),
        CONSTRAINT ck_video_participants_role CHECK (role IN ('CLIENT', 'LAWYER'))
      )
    `);
    await q.query(`
      CREATE TABLE video_attendance (
        id          bigserial   NOT NULL,
        session_id  uuid        NOT NULL,
        user_id     uuid,
        identity    text        NOT NULL,
        role        text,
        event       text        NOT NULL,
        occurred_at timestamptz NOT NULL,
        source      text        NOT NULL,
        dedupe_key  text,
        recorded_at timestamptz NOT NULL,
        CONSTRAINT pk_video_attendance PRIMARY KEY (id),
        CONSTRAINT fk_video_attendance_room FOREIGN KEY (session_id) REFERENCES video_rooms (session_id),
        CONSTRAINT uq_video_attendance_dedupe UNIQUE (dedupe_key),
        CONSTRAINT ck_video_attendance_event CHECK (event IN ('joined', 'left')),
        CONSTRAINT ck_video_attendance_source CHECK (source IN ('twilio', 'signalling'))
      )
    `);
    await q.query(`CREATE INDEX ix_video_attendance_session ON video_attendance (session_id, occurred_at, id)`);
    await q.query(`
      CREATE TRIGGER video_attendance_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON video_attendance
        FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()
    `);
    await q.query(`
      CREATE TABLE video_callbacks (
        id          bigserial   NOT NULL,
        provider    text        NOT NULL,
        dedupe_key  text        NOT NULL,
        event       text        NOT NULL,
        room_sid    text,
        params      jsonb       NOT NULL,
        received_at timestamptz NOT NULL,
        CONSTRAINT pk_video_callbacks PRIMARY KEY (id),
        CONSTRAINT uq_video_callbacks_event UNIQUE (provider, dedupe_key),
        CONSTRAINT ck_video_callbacks_params CHECK (jsonb_typeof(params) = 'object')
      )
    `);
    await q.query(`CREATE INDEX ix_video_callbacks_room ON video_callbacks (room_sid, id)`);
    await q.query(`
      CREATE TRIGGER video_callbacks_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON video_callbacks
        FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()
    `);
    await q.query(`
      CREATE TABLE video_signals (
        id            bigserial   NOT NULL,
        session_id    uuid        NOT NULL,
        from_identity text        NOT NULL,
        to_identity   text,
        type          text        NOT NULL,
        body          jsonb       NOT NULL,
        created_at    timestamptz NOT NULL,
        CONSTRAINT pk_video_signals PRIMARY KEY (id),
        CONSTRAINT fk_video_signals_room FOREIGN KEY (session_id) REFERENCES video_rooms (session_id)
      )
    `);
    await q.query(`CREATE INDEX ix_video_signals_session ON video_signals (session_id, id)`);
    await q.query(`
      CREATE TABLE recordings (
        id                  uuid        NOT NULL DEFAULT gen_random_uuid(),
        session_id          uuid        NOT NULL,
        provider            text        NOT NULL,
        kind                text        NOT NULL,
        identity            text,
        user_id             uuid,
        role                text,
        status              text        NOT NULL,
        provider_sid        text,
        blob_key            text,
        sha256              text,
        size_bytes          bigint,
        content_type        text,
        started_at          timestamptz,
        ended_at            timestamptz,
        duration_seconds    integer,
        audit_seq           bigint,
        failure             text,
        provider_deleted_at timestamptz,
        created_at          timestamptz NOT NULL,
        available_at        timestamptz,
        CONSTRAINT pk_recordings PRIMARY KEY (id),
        CONSTRAINT fk_recordings_room FOREIGN KEY (session_id) REFERENCES video_rooms (session_id),
        CONSTRAINT uq_recordings_provider_sid UNIQUE (provider_sid),
        CONSTRAINT ck_recordings_provider CHECK (provider IN ('twilio', 'p2p')),
        CONSTRAINT ck_recordings_kind CHECK (kind IN ('composition', 'participant')),
        CONSTRAINT ck_recordings_status CHECK (status IN ('uploading', 'processing', 'available', 'failed')),
        CONSTRAINT ck_recordings_sha256 CHECK (sha256 IS NULL OR sha256 ~ '^[0-9a-f]{64}$'),
        CONSTRAINT ck_recordings_available CHECK (status <> 'available' OR (sha256 IS NOT NULL AND size_bytes IS NOT NULL AND blob_key IS NOT NULL))
      )
    `);
    await q.query(`CREATE INDEX ix_recordings_session ON recordings (session_id, created_at)`);
    await q.query(`CREATE INDEX ix_recordings_sha256 ON recordings (sha256) WHERE status = 'available'`);
    await q.query(`
      CREATE TABLE recording_chunks (
        recording_id uuid        NOT NULL,
        idx          integer     NOT NULL,
        sha256       text        NOT NULL,
        size_bytes   integer     NOT NULL,
        blob_key     text        NOT NULL,
        received_at  timestamptz NOT NULL,
        CONSTRAINT pk_recording_chunks PRIMARY KEY (recording_id, idx),
        CONSTRAINT fk_recording_chunks_recording FOREIGN KEY (recording_id) REFERENCES recordings (id) ON DELETE CASCADE,
        CONSTRAINT ck_recording_chunks_idx CHECK (idx >= 0)
      )
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['recording_chunks', 'recordings', 'video_signals', 'video_callbacks', 'video_attendance', 'video_participants', 'video_rooms']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
