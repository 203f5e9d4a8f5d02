import { Body, Controller, Get, HttpCode, Patch, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../../common/auth/auth-user';
import { Authenticated, CurrentUser, Public, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { AccountsService } from './accounts.service';
import { AccessTokenResponse } from './dto/access-token.response';
import { ChangePasswordDto } from './dto/change-password.dto';
import { ConfirmPasswordResetDto, MessageResponse, RequestPasswordResetDto, VerifyEmailDto } from './dto/password-reset.dto';
import { EmailVerificationService } from './email-verification.service';
import { LoginDto } from './dto/login.dto';
import { RegisterDto } from './dto/register.dto';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { toUserResponse, UserResponse } from './dto/user.response';
import { clientInfo, RefreshCookie } from './http-helpers';
import { LocalAuthGuard } from './local.strategy';
import { PasswordResetService } from './password-reset.service';
import { IssuedSession, SessionsService } from './sessions.service';
import type { User } from './user.entity';

const SET_COOKIE = {
  'Set-Cookie': { description: 'The rotated refresh token (lm_refresh; HttpOnly; SameSite=Strict; Path=/api/auth)', schema: { type: 'string' } },
};

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly sessions: SessionsService,
    private readonly passwordReset: PasswordResetService,
    private readonly verification: EmailVerificationService,
    private readonly cookie: RefreshCookie,
  ) {}

  @Post('register')
  @Public()
  @ApiOperation({
    operationId: 'register',
    summary: 'Create an account as CLIENT, LAWYER or PARTNER (never ADMIN).',
    description: 'acceptedTermsVersion must name the current terms of service and privacy policy; missing or another version → 400 TERMS_NOT_ACCEPTED (the message names the current version). The version and the time are recorded on the account.',
  })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiErrorResponses(400, 409)
  async register(@Body() body: RegisterDto): Promise<UserResponse> {
    return toUserResponse(await this.accounts.register(body));
  }

  @Post('login')
  @Public()
  @UseGuards(LocalAuthGuard)
  @HttpCode(200)
  @ApiOperation({
    operationId: 'login',
    summary: 'Sign in with email and password: an access token in the body, the refresh token in an HttpOnly cookie.',
    description: 'An unverified email address does not prevent sign-in. Unknown email and wrong password get the same 401 INVALID_CREDENTIALS. 5 failures per account from one address, 20 per address, or 50 per account from networks that never signed in to it, within 15 minutes → 429 TOO_MANY_LOGIN_ATTEMPTS with Retry-After (see the README); from the third failure the 401 is delayed progressively. A suspended account → 403 ACCOUNT_SUSPENDED (only after its correct password).',
  })
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: AccessTokenResponse, headers: SET_COOKIE })
  @ApiErrorResponses(401, 403, 429)
  async login(@Req() request: FastifyRequest & { user: User }, @Res({ passthrough: true }) reply: FastifyReply): Promise<AccessTokenResponse> {
    return this.respond(reply, await this.sessions.signIn(request.user, clientInfo(request)));
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'refreshToken',
    summary: 'Exchange the refresh cookie for a new access token; the refresh token rotates.',
    description: 'Presenting an already-used refresh token ends that whole sign-in (401 REFRESH_TOKEN_REUSED).',
  })
  @ApiOkResponse({ type: AccessTokenResponse, headers: SET_COOKIE })
  @ApiErrorResponses(401)
  async refresh(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<AccessTokenResponse> {
    try {
      return this.respond(reply, await this.sessions.refresh(this.cookie.read(request), clientInfo(request)));
    } catch (e) {
      this.cookie.clear(reply);
      throw e;
    }
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({
    operationId: 'logout',
    summary: 'End this sign-in (its refresh-token family) and clear the cookie. Idempotent.',
    description: 'The sign-in is found from the refresh cookie, the Bearer access token, or both; its access tokens stop working at once.',
  })
  @ApiNoContentResponse({ description: 'Signed out' })
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    await this.sessions.signOut(this.cookie.read(request), bearer);
    this.cookie.clear(reply);
  }

  @Get('me')
  @Authenticated()
  @Scopes('profile:read')
  @ApiOperation({ operationId: 'getMe', summary: 'The signed-in account.' })
  @ApiOkResponse({ type: UserResponse })
  async me(@CurrentUser() actor: AuthUser): Promise<UserResponse> {
    return toUserResponse(await this.accounts.getProfile(actor));
  }

  @Patch('me')
  @Authenticated()
  @Scopes('profile:write')
  @ApiOperation({ operationId: 'updateMe', summary: 'Change display name, time zone (IANA) or locale.' })
  @ApiOkResponse({ type: UserResponse })
  async updateMe(@CurrentUser() actor: AuthUser, @Body() body: UpdateProfileDto): Promise<UserResponse> {
    return toUserResponse(await this.accounts.updateProfile(actor, body));
  }

  @Post('password')
  @Authenticated()
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @HttpCode(204)
  @ApiOperation({
    operationId: 'changePassword',
    summary: 'Change the password (needs the current one); every other sign-in of the account ends.',
  })
  @ApiNoContentResponse({ description: 'Password changed' })
  @ApiErrorResponses(429)
  async changePassword(@CurrentUser() actor: AuthUser, @Body() body: ChangePasswordDto): Promise<void> {
    await this.accounts.changePassword(actor, body.currentPassword, body.newPassword);
  }

  @Post('password-reset/request')
  @Public()
  @HttpCode(202)
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @ApiOperation({
    operationId: 'requestPasswordReset',
    summary: 'Email a one-time link to reset the password (valid 30 minutes).',
    description:
      'Always 202 with the same body, whether or not the address has an account. A new request retires earlier links. ' +
      'At most 3 emails per account per hour (further requests are answered alike) and 10 requests per minute per client address (429 RATE_LIMITED).',
  })
  @ApiAcceptedResponse({ type: MessageResponse })
  @ApiErrorResponses(429)
  async requestPasswordReset(@Body() body: RequestPasswordResetDto): Promise<MessageResponse> {
    await this.passwordReset.request(body.email);
    return { message: 'If an account exists for this address, a link to reset its password has been sent.' };
  }

  @Post('password-reset/confirm')
  @Public()
  @HttpCode(204)
  @Throttle({ default: { limit: 20, ttl: 60_000 } })
  @ApiOperation({
    operationId: 'confirmPasswordReset',
    summary: 'Set a new password with the token from the emailed link; every sign-in of the account ends.',
    description: 'An unknown, expired or already used token → 400 RESET_TOKEN_INVALID. A password that breaks the rule → 400 VALIDATION_FAILED (the link stays usable).',
  })
  @ApiNoContentResponse({ description: 'Password changed; sign in with the new one' })
  @ApiErrorResponses(429)
  async confirmPasswordReset(@Body() body: ConfirmPasswordResetDto): Promise<void> {
    await this.passwordReset.confirm(body.token, body.newPassword);
  }

  @Post('verify-email')
  @Public()
  @HttpCode(204)
  @Throttle({ default: { limit: 20, ttl: 60_000 } })
  @ApiOperation({
    operationId: 'verifyEmail',
    summary: 'Confirm the email address with the token from the emailed link.',
    description: 'An unknown, expired or already used token → 400 VERIFICATION_TOKEN_INVALID.',
  })
  @ApiNoContentResponse({ description: 'Email address verified' })
  @ApiErrorResponses(429)
  async verifyEmail(@Body() body: VerifyEmailDto): Promise<void> {
    await this.verification.verify(body.token);
  }

  @Post('verify-email/resend')
  @Authenticated()
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @HttpCode(202)
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @ApiOperation({
    operationId: 'resendVerificationEmail',
    summary: 'Send a new verification link to the signed-in account (earlier links stop working).',
    description: 'Already verified → 409 EMAIL_ALREADY_VERIFIED. At most 5 verification emails per account per hour → 429 TOO_MANY_VERIFICATION_EMAILS.',
  })
  @ApiAcceptedResponse({ type: MessageResponse })
  @ApiErrorResponses(409, 429)
  async resendVerificationEmail(@CurrentUser() actor: AuthUser): Promise<MessageResponse> {
    await this.verification.resend(actor);
    return { message: 'A new verification link has been sent.' };
  }

  private respond(reply: FastifyReply, session: IssuedSession): AccessTokenResponse {
    this.cookie.set(reply, session.refreshToken, session.refreshExpiresAt);
    return { accessToken: session.accessToken, tokenType: 'Bearer', expiresIn: session.expiresIn };
  }
}
