import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-local';
import { ValidationFailed } from '../../common/errors/common.errors';
import { LoginDto } from './dto/login.dto';
import { clientInfo } from './http-helpers';
import { SessionsService } from './sessions.service';
import type { User } from './user.entity';

/** Email + password sign-in (passport-local). The rules live in SessionsService.verifyCredentials. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly sessions: SessionsService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: false });
  }

  validate(request: FastifyRequest, email: string, password: string): Promise<User> {
    return this.sessions.verifyCredentials(email, password, clientInfo(request));
  }
}

/**
 * Runs the local strategy. Guards run before pipes, so the body is validated here first: a
 * missing or malformed field is a 400 VALIDATION_FAILED (as on every other route), not a
 * passport "missing credentials" 401.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const body: unknown = context.switchToHttp().getRequest<FastifyRequest>().body;
    const dto = plainToInstance(LoginDto, typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {});
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
    if (errors.length > 0) {
      throw new ValidationFailed(errors.map((e) => ({ field: e.property, messages: Object.values(e.constraints ?? {}) })));
    }
    return (await super.canActivate(context)) as boolean;
  }
}
