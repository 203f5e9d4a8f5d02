import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { SignerClient } from './contract-signing.service';

/** The caller's IP address (as the app's trust-proxy setting resolves it) and user agent, bounded for storage. */
export const Signer = createParamDecorator((_data: unknown, ctx: ExecutionContext): SignerClient => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  const userAgent = request.headers['user-agent'];
  return {
    ip: request.ip ? request.ip.slice(0, 64) : null,
    userAgent: typeof userAgent === 'string' && userAgent ? userAgent.slice(0, 512) : null,
  };
});
