import { Injectable, OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { isRole, type Role } from '@lm/domain';
import { InvalidCredentials } from '../../common/auth/auth.errors';
import { AppConfig } from '../../config/app-config';
import { resolveJwtSecret } from './jwt-secret';

export interface AccessTokenClaims {
  /** User id. */
  sub: string;
  /** Refresh-token family (the sign-in) this token belongs to; revoking it ends the token too. */
  sid: string;
  /** Role at issue time; informational only, the current role is read from the database. */
  role: Role;
  /** When the password was proved for this sign-in (unix seconds, OIDC's `auth_time`); kept across refreshes. */
  authTime?: number;
  /** When the token expires (unix seconds, `exp`); set on verified tokens. */
  exp?: number;
}

const ALGORITHM = 'HS256';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Short-lived access JWTs: HS256 only (pinned on verification, so `alg: none` or an RS/HS
 * confusion is refused), `iss`, `aud` and `exp` always checked.
 */
@Injectable()
export class AccessTokens implements OnModuleInit {
  private secret?: string;

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  /** Resolved at init, not at construction: writing the OpenAPI document must not create key files. */
  onModuleInit(): void {
    this.secret = resolveJwtSecret(this.config.JWT_SECRET, this.config.dataDir);
  }

  get ttlSeconds(): number {
    return this.config.ACCESS_TOKEN_TTL_SECONDS;
  }

  sign(claims: AccessTokenClaims): Promise<string> {
    return this.jwt.signAsync(
      { sid: claims.sid, role: claims.role, ...(claims.authTime !== undefined ? { auth_time: claims.authTime } : {}) },
      {
        secret: this.key(),
        algorithm: ALGORITHM,
        subject: claims.sub,
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
        expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS,
      },
    );
  }

  /** The claims of a valid token; any defect (signature, alg, iss, aud, exp, shape) is a 401. */
  async verify(token: string): Promise<AccessTokenClaims> {
    let payload: Record<string, unknown>;
    try {
      payload = await this.jwt.verifyAsync<Record<string, unknown>>(token, {
        secret: this.key(),
        algorithms: [ALGORITHM],
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
      });
    } catch {
      throw new InvalidCredentials();
    }
    const { sub, sid, role } = payload;
    if (typeof sub !== 'string' || !UUID.test(sub) || typeof sid !== 'string' || !UUID.test(sid) || !isRole(role)) {
      throw new InvalidCredentials();
    }
    if (typeof payload.exp !== 'number') throw new InvalidCredentials();
    const authTime = typeof payload.auth_time === 'number' && Number.isInteger(payload.auth_time) ? payload.auth_time : undefined;
    return { sub, sid, role, authTime, exp: payload.exp };
  }

  private key(): string {
    if (!this.secret) throw new Error('AccessTokens used before module init');
    return this.secret;
  }
}
