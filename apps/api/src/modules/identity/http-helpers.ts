import { Injectable } from '@nestjs/common';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/app-config';
import type { ClientInfo } from './sessions.service';

export const REFRESH_COOKIE = 'lm_refresh';
const REFRESH_COOKIE_PATH = '/api/auth';

/** The refresh token's cookie: HttpOnly, SameSite=Strict, Secure when served over https, only sent to /api/auth. */
@Injectable()
export class RefreshCookie {
  private readonly secure: boolean;

  constructor(config: AppConfig) {
    this.secure = config.PUBLIC_URL.startsWith('https://');
  }

  read(request: FastifyRequest): string | undefined {
    const value = request.cookies?.[REFRESH_COOKIE];
    return value ? value : undefined;
  }

  set(reply: FastifyReply, token: string, expiresAt: Date): void {
    void reply.setCookie(REFRESH_COOKIE, token, { ...this.attributes(), expires: expiresAt });
  }

  clear(reply: FastifyReply): void {
    void reply.clearCookie(REFRESH_COOKIE, this.attributes());
  }

  private attributes() {
    return { httpOnly: true, secure: this.secure, sameSite: 'strict' as const, path: REFRESH_COOKIE_PATH };
  }
}

export function clientInfo(request: FastifyRequest): ClientInfo {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip || null, userAgent: typeof userAgent === 'string' ? userAgent : null };
}

