import { plainToInstance, Transform } from 'class-transformer';
import {
  getMetadataStorage,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidationError,
} from 'class-validator';
import { resolve } from 'node:path';
import { MasterKeyRingInvalid, parseMasterKeyRing } from './blob-master-keys';
import { IsIceServers, parseIceServers, type IceServer } from './ice-servers';

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  return value; // left as a string so @IsBoolean reports it
};
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

/**
 * The one validated configuration of the API process. Every field is an environment
 * variable of the same name, documented in `.env.example`. `loadConfig` refuses to return
 * an instance with an invalid field, so the process stops at start-up and names the variable.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /**
   * Public origin of the app (links in emails, Stripe return URLs, referral links, .ics files).
   * Unset: the address this process serves, from PORT and HOST (http://localhost:<PORT> when
   * listening on every interface), so a local run on another port never links to a dead one.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_URL!: string;

  /** Whether PUBLIC_URL was derived from PORT/HOST rather than configured. */
  publicUrlDerived = false;

  /** Directory for embedded PostgreSQL data, filesystem blobs and generated keys. */
  @IsString()
  DATA_DIR = '.data';

  /** External PostgreSQL; when absent an embedded PostgreSQL server is started under DATA_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /** Port of the embedded PostgreSQL server (only used without DATABASE_URL). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_PG_PORT = 54329;

  @Transform(toBool)
  @IsBoolean()
  DB_MIGRATIONS_RUN = true;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  /**
   * How long a request waits for a free pooled database connection before it is answered 503
   * DATABASE_UNAVAILABLE (rather than hanging while the pool is starved).
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DB_POOL_ACQUIRE_TIMEOUT_MS = 10_000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toBool)
  @IsBoolean()
  LOG_PRETTY = false;

  /** Comma-separated list of origins allowed by CORS (the SPA served by the API itself needs none). */
  @Transform(toList)
  @IsUrl({ require_tld: false, require_protocol: true }, { each: true })
  CORS_ORIGINS: string[] = [];

  /** Requests per IP per THROTTLE_TTL_SECONDS window. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  THROTTLE_LIMIT = 300;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  THROTTLE_TTL_SECONDS = 60;

  /** Serve the built SPA (apps/web/dist) at `/`. */
  @Transform(toBool)
  @IsBoolean()
  SERVE_WEB = true;

  @IsOptional()
  @IsString()
  WEB_DIST_DIR?: string;

  /**
   * Serve Swagger UI (/api/docs) and the OpenAPI document (/api/openapi.json, .yaml) to anyone,
   * as integrators need. false: neither is served (the committed apps/api/openapi.json remains).
   */
  @Transform(toBool)
  @IsBoolean()
  API_DOCS_PUBLIC = true;

  /** Start pg-boss workers in this process. */
  @Transform(toBool)
  @IsBoolean()
  JOBS_ENABLED = true;

  @IsIn(['fs', 's3'])
  BLOB_DRIVER: 'fs' | 's3' = 'fs';

  /** Root of the filesystem blob driver; defaults to DATA_DIR/blobs. */
  @IsOptional()
  @IsString()
  BLOB_FS_ROOT?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  S3_ENDPOINT?: string;

  @IsString()
  S3_REGION = 'us-east-1';

  @IsOptional()
  @IsString()
  @MinLength(3)
  S3_BUCKET?: string;

  @IsOptional()
  @IsString()
  S3_ACCESS_KEY_ID?: string;

  @IsOptional()
  @IsString()
  S3_SECRET_ACCESS_KEY?: string;

  @Transform(toBool)
  @IsBoolean()
  S3_FORCE_PATH_STYLE = true;

  /**
   * Master key ring of encryption at rest (modules/storage/encrypting-blob-store.ts): entries
   * `id:base64-of-32-bytes`, comma-separated, the FIRST one active (wraps the data keys of new
   * objects), the others kept to read older objects. Rotate by prepending a new entry. Unset
   * (and no BLOB_MASTER_KEYS_FILE): a ring generated once into DATA_DIR/blob-master-keys (0600),
   * which production with an external database refuses (productionProblems).
   */
  @IsOptional()
  @IsString()
  BLOB_MASTER_KEYS?: string;

  /** A file holding the key ring instead (one entry per line, first = active), e.g. a mounted secret. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  BLOB_MASTER_KEYS_FILE?: string;

  /**
   * Ed25519 private key signing audit checkpoints (PKCS#8 PEM, `\n` escapes allowed, or base64
   * of the PKCS#8 DER). Unset: generated once into DATA_DIR/audit-signing-key.pem with a warning.
   */
  @IsOptional()
  @IsString()
  AUDIT_SIGNING_KEY?: string;

  /**
   * PKCS#12 file (RSA key + certificate, optional chain) that seals executed contract PDFs.
   * Unset: a self-signed one is generated once into DATA_DIR/contract-seal/seal.p12 (0600).
   * Read and checked at start-up (ContractSealer), which names this variable when it cannot be used.
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  CONTRACT_SEAL_P12_PATH?: string;

  /** Passphrase of CONTRACT_SEAL_P12_PATH; unset means an empty passphrase. */
  @IsOptional()
  @IsString()
  CONTRACT_SEAL_P12_PASSPHRASE?: string;

  /** SMTP relay for outgoing email (smtp:// or smtps://, credentials in the URL). Unset: emails are captured for admins. */
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /** Sender of outgoing email. */
  @IsString()
  @MinLength(3)
  MAIL_FROM = 'LexMarket <no-reply@lexmarket.local>';

  /**
   * HMAC key (HS256) of access tokens, at least 32 characters. Unset: a random key is generated
   * once and kept in DATA_DIR/jwt-secret (fine for one machine; replicas must share JWT_SECRET).
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /** `iss` claim of access tokens (checked on every request). */
  @IsString()
  @MinLength(1)
  JWT_ISSUER = 'lexmarket';

  /** `aud` claim of access tokens (checked on every request). */
  @IsString()
  @MinLength(1)
  JWT_AUDIENCE = 'lexmarket-api';

  /** Lifetime of access tokens; at most 15 minutes. */
  @Transform(toInt)
  @IsInt()
  @Min(30)
  @Max(900)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  /** Lifetime of a refresh token (each rotation issues a new one with this lifetime). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  REFRESH_TOKEN_TTL_DAYS = 30;

  /**
   * Stripe secret key (sk_live_… or sk_test_…). Unset: payments go through the local Stripe
   * sandbox built into the app (a stand-in for Stripe's API and hosted checkout page that
   * sends signed events to our own webhook), so nothing leaves the machine.
   */
  @IsOptional()
  @Matches(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, {
    message: 'STRIPE_SECRET_KEY must be a Stripe secret key (sk_test_… or sk_live_…)',
  })
  STRIPE_SECRET_KEY?: string;

  /**
   * The built-in Stripe sandbox (free test "payments" through an unauthenticated pay page).
   * Unset: on without STRIPE_SECRET_KEY, except in production, where start-up then refuses
   * (a misconfigured production must not hand out free payments). true: on deliberately (also
   * in production, e.g. a demo), and STRIPE_SECRET_KEY must be unset. false: never; a key is required.
   */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  STRIPE_SANDBOX?: boolean;

  /**
   * Signing secret of the Stripe webhook endpoint (whsec_…). Unset: a random secret is
   * generated once into DATA_DIR/stripe-webhook-secret (used by the local sandbox).
   */
  @IsOptional()
  @Matches(/^whsec_[A-Za-z0-9_+/=]{8,}$/, { message: 'STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_…)' })
  STRIPE_WEBHOOK_SECRET?: string;

  /**
   * Base URL of the Stripe API (e.g. http://localhost:12111 for stripe-mock). Unset: Stripe's
   * own API with STRIPE_SECRET_KEY, or the built-in sandbox without it.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  STRIPE_API_BASE?: string;

  /**
   * Milliseconds one Stripe API call may take (connect, send, answer) before the SDK gives up
   * on that attempt. A call that runs out of time (and out of retries) answers the client
   * 503 PAYMENT_PROVIDER_UNAVAILABLE; a job retries it later.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  STRIPE_TIMEOUT_MS = 10_000;

  /** How many times the Stripe SDK retries a call after a network error or a 5xx/409/429 (with the same idempotency key). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(5)
  STRIPE_MAX_NETWORK_RETRIES = 2;

  /** Minutes a Stripe Checkout Session stays open before it (and its unpaid session) expires; Stripe allows 30-1440. */
  @Transform(toInt)
  @IsInt()
  @Min(30)
  @Max(1440)
  CHECKOUT_EXPIRY_MINUTES = 30;

  /** How far ahead a session can be booked or moved, in days from now (slot lists stop there too). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  BOOKING_HORIZON_DAYS = 365;

  /**
   * Minimum notice, in hours, for the first booking of a paid session (schedule): the earliest
   * free time offered is this far from now, even if the lawyer's own notice is shorter, so a
   * client does not pay and then book a time they can no longer change (0 = the lawyer's notice only).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(720)
  BOOKING_MIN_NOTICE_HOURS = 2;

  /** Platform fee in basis points of each payment (1500 = 15 %); the rest is the lawyer's. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10000)
  PLATFORM_FEE_BPS = 1500;

  /** Partner commission in basis points of the platform fee (2000 = 20 % of the fee), never of the lawyer's share. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10000)
  PARTNER_COMMISSION_BPS = 2000;

  /**
   * Smallest amount owed (minor units of the payee's currency) for which a partner or lawyer is
   * listed for a manual payout (GET /api/admin/payouts/pending); smaller balances wait for the
   * next run. The admin may ask for another threshold per request.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  PAYOUT_MINIMUM_MINOR = 1000;

  /**
   * PostgreSQL that partner and lawyer reports read from (e.g. a streaming replica), through
   * their own small pool. Unset: the main database.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'REPORTS_DATABASE_URL must be a postgres:// URL' })
  REPORTS_DATABASE_URL?: string;

  /**
   * Twilio Video (all four set: rooms on Twilio, compositions copied into our blob store; none
   * set: the built-in peer-to-peer provider). The API key pair signs join tokens and calls the
   * REST API; the account Auth Token verifies Twilio's X-Twilio-Signature on callbacks.
   */
  @IsOptional()
  @Matches(/^AC[0-9a-fA-F]{32}$/, { message: 'TWILIO_ACCOUNT_SID must look like AC followed by 32 hex digits' })
  TWILIO_ACCOUNT_SID?: string;

  @IsOptional()
  @Matches(/^SK[0-9a-fA-F]{32}$/, { message: 'TWILIO_API_KEY_SID must look like SK followed by 32 hex digits' })
  TWILIO_API_KEY_SID?: string;

  @IsOptional()
  @IsString()
  @MinLength(16)
  TWILIO_API_KEY_SECRET?: string;

  @IsOptional()
  @IsString()
  @MinLength(16)
  TWILIO_AUTH_TOKEN?: string;

  /**
   * Where the twilio SDK sends its REST calls instead of https://*.twilio.com (tests point it at
   * a local fake of the Video API). Leave unset in production.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  TWILIO_API_BASE_URL?: string;

  /**
   * Milliseconds one Twilio REST call may take before it is abandoned. A call that runs out of
   * time answers the client 503 VIDEO_PROVIDER_UNAVAILABLE; a job retries it later.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  TWILIO_TIMEOUT_MS = 15_000;

  /**
   * STUN/TURN servers for peer-to-peer calls, as a JSON array of RTCIceServer objects, e.g.
   * [{"urls":"stun:stun.example.org:3478"},{"urls":"turn:turn.example.org","username":"u","credential":"p"}].
   * Empty (default): none, enough on one machine or a LAN.
   */
  @Transform(({ value }: { value: unknown }) => parseIceServers(value))
  @IsIceServers()
  VIDEO_ICE_SERVERS: IceServer[] = [];

  /** Minutes before a session's start from which its participants may join the call. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(120)
  VIDEO_JOIN_EARLY_MINUTES = 10;

  /** Minutes after a session's scheduled end during which the call may still be joined. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(240)
  VIDEO_JOIN_GRACE_MINUTES = 15;

  /** Largest chunk, in bytes, of a browser's recording upload (peer-to-peer provider). */
  @Transform(toInt)
  @IsInt()
  @Min(64 * 1024)
  @Max(64 * 1024 * 1024)
  VIDEO_RECORDING_CHUNK_MAX_BYTES = 8 * 1024 * 1024;

  /**
   * Days after a session is COMPLETED during which its client and lawyer may review each other;
   * the deadline is stored as an instant on the session's review window and shown to both.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  REVIEW_WINDOW_DAYS = 14;

  /**
   * Days a contract sent for signature stays signable; then the expiry job (every five minutes)
   * closes it as EXPIRED unless every party signed. The deadline is stored on the contract when sent.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  CONTRACT_SIGNING_DAYS = 14;

  /** Reviews one author may submit per rolling hour (abuse control; more → 429 REVIEW_RATE_LIMITED). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  REVIEW_RATE_LIMIT_PER_HOUR = 10;

  /**
   * Whether outbound webhooks may be delivered to loopback, private, link-local and other
   * non-public addresses (the SSRF guard, checked at registration and at every delivery).
   * Unset: allowed in tests and in embedded mode (no DATABASE_URL) outside production; refused
   * everywhere else (production, and any server on a real database).
   */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  WEBHOOKS_ALLOW_PRIVATE_URLS?: boolean;

  /** Hours the previous secret of a rotated webhook endpoint keeps signing too (a second v1). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(24 * 14)
  WEBHOOK_SECRET_OVERLAP_HOURS = 24;

  /** Milliseconds a webhook delivery may take to connect (TCP and TLS). */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(60_000)
  WEBHOOK_CONNECT_TIMEOUT_MS = 5_000;

  /** Milliseconds a webhook delivery may take in all (connect, send, response). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /**
   * Whether webhook URLs must use https (checked at registration and at every delivery): a
   * delivery carries the account's data. Unset: required in production only (development and
   * tests use loopback http receivers). Forcing it off in production is for the e2e journeys,
   * whose receiver is a loopback http server, like WEBHOOKS_ALLOW_PRIVATE_URLS.
   */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  WEBHOOKS_REQUIRE_HTTPS?: boolean;

  /** Days webhook events and finished deliveries are kept; a daily job prunes older ones. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  WEBHOOK_RETENTION_DAYS = 30;

  /** Whether webhook URLs must be https:// (see WEBHOOKS_REQUIRE_HTTPS). */
  get webhooksRequireHttps(): boolean {
    return this.WEBHOOKS_REQUIRE_HTTPS ?? this.isProduction;
  }

  /** Whether webhook URLs may resolve to non-public addresses (see WEBHOOKS_ALLOW_PRIVATE_URLS). */
  get webhooksAllowPrivateUrls(): boolean {
    // Unset: only a machine-local setup may call its own network — tests, and the embedded mode of
    // `npm start` outside production. A server on a real database (staging, a preview) refuses, as
    // production does, unless told otherwise: there the delivery log would let a user read
    // internal services (169.254.169.254, 10.x) through the response excerpt.
    return this.WEBHOOKS_ALLOW_PRIVATE_URLS ?? (this.NODE_ENV === 'test' || (!this.isProduction && !this.DATABASE_URL));
  }

  /** Which video provider this process uses: Twilio when configured, else peer-to-peer. */
  get videoProvider(): 'twilio' | 'p2p' {
    return this.TWILIO_ACCOUNT_SID ? 'twilio' : 'p2p';
  }

  /**
   * Demo accounts (one admin, client, verified lawyer and partner with random passwords, printed
   * at start-up) when the database has no users yet. Unset: only in embedded mode (no
   * DATABASE_URL). true: also with DATABASE_URL. false: never.
   */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  DEMO_SEED?: boolean;

  /** Whether start-up seeds the demo accounts (see DEMO_SEED). */
  get demoSeedEnabled(): boolean {
    return this.DEMO_SEED ?? !this.DATABASE_URL;
  }

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  get dataDir(): string {
    return resolve(this.DATA_DIR);
  }

  /** Where the generated contract seal (PKCS#12) is kept when CONTRACT_SEAL_P12_PATH is unset. */
  get contractSealDir(): string {
    return resolve(this.dataDir, 'contract-seal');
  }

  /** Where the blob master key ring is read from (and, when it is not configured, generated into). */
  get blobKeyRingFile(): string {
    return resolve(this.BLOB_MASTER_KEYS_FILE ?? resolve(this.dataDir, 'blob-master-keys'));
  }

  get blobFsRoot(): string {
    return resolve(this.BLOB_FS_ROOT ?? resolve(this.dataDir, 'blobs'));
  }
}

export class ConfigValidationError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n') +
        '\nSee .env.example for every variable and its meaning.',
    );
  }
}

function flatten(errors: ValidationError[]): { variable: string; message: string }[] {
  return errors.flatMap((e) => Object.values(e.constraints ?? {}).map((message) => ({ variable: e.property, message })));
}

/** Cross-field rules that a per-field decorator cannot express. */
function crossFieldProblems(c: AppConfig): { variable: string; message: string }[] {
  const problems: { variable: string; message: string }[] = [];
  if (!c.STRIPE_SECRET_KEY && c.STRIPE_SANDBOX === false) {
    problems.push({ variable: 'STRIPE_SECRET_KEY', message: 'STRIPE_SECRET_KEY is required when STRIPE_SANDBOX=false' });
  }
  if (c.STRIPE_SECRET_KEY && c.STRIPE_SANDBOX === true) {
    problems.push({
      variable: 'STRIPE_SANDBOX',
      message: 'STRIPE_SANDBOX=true runs the sandbox instead of Stripe; unset STRIPE_SECRET_KEY, or STRIPE_SANDBOX',
    });
  }
  const twilio = ['TWILIO_ACCOUNT_SID', 'TWILIO_API_KEY_SID', 'TWILIO_API_KEY_SECRET', 'TWILIO_AUTH_TOKEN'] as const;
  if (twilio.some((key) => c[key])) {
    for (const key of twilio) {
      if (!c[key])
        problems.push({
          variable: key,
          message: `${key} is required with the other TWILIO_* variables (set all four for Twilio Video, none for peer-to-peer calls)`,
        });
    }
  }
  if (c.CONTRACT_SEAL_P12_PASSPHRASE !== undefined && !c.CONTRACT_SEAL_P12_PATH) {
    problems.push({
      variable: 'CONTRACT_SEAL_P12_PASSPHRASE',
      message: 'CONTRACT_SEAL_P12_PASSPHRASE is set but CONTRACT_SEAL_P12_PATH is not (the generated seal has no passphrase)',
    });
  }
  if (c.BLOB_MASTER_KEYS !== undefined) {
    try {
      parseMasterKeyRing(c.BLOB_MASTER_KEYS);
    } catch (e) {
      if (!(e instanceof MasterKeyRingInvalid)) throw e;
      problems.push({ variable: 'BLOB_MASTER_KEYS', message: `BLOB_MASTER_KEYS is invalid: ${e.message}` });
    }
    if (c.BLOB_MASTER_KEYS_FILE) {
      problems.push({ variable: 'BLOB_MASTER_KEYS_FILE', message: 'set BLOB_MASTER_KEYS or BLOB_MASTER_KEYS_FILE, not both' });
    }
  }
  if (c.BLOB_DRIVER === 's3') {
    for (const key of ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
      if (!c[key]) problems.push({ variable: key, message: `${key} is required when BLOB_DRIVER=s3` });
    }
  }
  return problems;
}

/**
 * What a production process must not start with, although the values are each valid: checked
 * by the entry point (main.ts) after loadConfig, which stays usable for reading a production
 * configuration (tests, tools). Same reporting: exit 78, the variable named.
 */
export function productionProblems(c: AppConfig): { variable: string; message: string }[] {
  if (!c.isProduction) return [];
  const problems: { variable: string; message: string }[] = [];
  if (!c.STRIPE_SECRET_KEY && c.STRIPE_SANDBOX !== true) {
    problems.push({
      variable: 'STRIPE_SECRET_KEY',
      message:
        'STRIPE_SECRET_KEY is required in production: without it payments would go to the built-in Stripe sandbox, ' +
        'where anyone can "pay" for free. Set the key, or set STRIPE_SANDBOX=true to run the sandbox (TEST MODE) on purpose',
    });
  }
  // Embedded mode (no DATABASE_URL) keeps everything in DATA_DIR anyway, so a generated key ring
  // beside it is as safe as the rest; a deployment with its own database must bring its key.
  if (c.DATABASE_URL && c.BLOB_MASTER_KEYS === undefined && !c.BLOB_MASTER_KEYS_FILE) {
    problems.push({
      variable: 'BLOB_MASTER_KEYS',
      message:
        'BLOB_MASTER_KEYS (or BLOB_MASTER_KEYS_FILE) is required in production: it holds the master key that encrypts ' +
        'stored recordings, contracts and statements. Generate an entry with: echo "k1:$(openssl rand -base64 32)"',
    });
  }
  return problems;
}

/**
 * Names of every configuration variable: each AppConfig field carries class-validator
 * decorators (optional ones @IsOptional), so the validation metadata lists them all, with or
 * without a default. A new field is picked up without a second list to keep in step.
 */
const CONFIG_VARIABLES: readonly string[] = [
  ...new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(AppConfig, '', true, false)
      .map((m) => m.propertyName),
  ),
];

/**
 * Builds the configuration from an environment (process.env by default). Empty strings
 * count as unset so `.env` templates with blank lines behave like absent variables.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const input: Record<string, string> = {};
  for (const key of CONFIG_VARIABLES) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const config = plainToInstance(AppConfig, input, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: true, forbidUnknownValues: true });
  const problems = [...flatten(errors), ...crossFieldProblems(config)];
  if (problems.length > 0) throw new ConfigValidationError(problems);
  if (!config.PUBLIC_URL) {
    config.PUBLIC_URL = servedOrigin(config.HOST, config.PORT);
    config.publicUrlDerived = true;
  }
  return config;
}

/** The origin a browser on this machine reaches the process at: `localhost` for a wildcard HOST. */
export function servedOrigin(host: string, port: number): string {
  const wildcard = host === '0.0.0.0' || host === '::' || host === '' || host === '[::]';
  const name = wildcard ? 'localhost' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** host:port of an origin or Host header, loopback names folded into one, for comparing where links lead. */
export function originKey(origin: string): string {
  const url = new URL(origin.includes('://') ? origin : `http://${origin}`);
  const host = LOOPBACK.has(url.hostname) ? 'loopback' : url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${host}:${port}`;
}

/**
 * Why PUBLIC_URL cannot be where this process is reached locally: a configured loopback
 * PUBLIC_URL on another port than PORT (links in emails and checkout returns would lead to
 * whatever runs there). Null when it is fine or points elsewhere on purpose (a proxy's host).
 */
export function publicUrlMismatch(c: AppConfig): string | null {
  if (c.publicUrlDerived) return null;
  const configured = new URL(c.PUBLIC_URL);
  if (!LOOPBACK.has(configured.hostname)) return null;
  const served = originKey(servedOrigin(c.HOST, c.PORT));
  if (originKey(c.PUBLIC_URL) === served) return null;
  return `PUBLIC_URL is ${c.PUBLIC_URL} but this process listens on port ${c.PORT}: links in emails and payment returns will lead there. Unset PUBLIC_URL to use http://localhost:${c.PORT}, or set it to the address users reach.`;
}
