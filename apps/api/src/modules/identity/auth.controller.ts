import { Body, Controller, Get, HttpCode, Patch, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../../common/auth/auth-user';
import { Authenticated, CurrentUser, Public } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { AccountsService } from './accounts.service';
import { AccessTokenResponse } from './dto/access-token.response';
import { ChangePasswordDto } from './dto/change-password.dto';
import { LoginDto } from './dto/login.dto';
import { RegisterDto } from './dto/register.dto';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { toUserResponse, UserResponse } from './dto/user.response';
import { clientInfo, RefreshCookie } from './http-helpers';
import { LocalAuthGuard } from './local.strategy';
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
    private readonly cookie: RefreshCookie,
  ) {}

  @Post('register')
  @Public()
  @ApiOperation({ operationId: 'register', summary: 'Create an account as CLIENT, LAWYER or PARTNER (never ADMIN).' })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiErrorResponses(409)
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
    description: 'Unknown email and wrong password get the same 401 INVALID_CREDENTIALS. 5 failures per account or 20 per address within 15 minutes → 429 TOO_MANY_LOGIN_ATTEMPTS with Retry-After. A suspended account → 403 ACCOUNT_SUSPENDED (only after its correct password).',
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
  @ApiOperation({ operationId: 'logout', summary: 'End this sign-in (its refresh-token family) and clear the cookie. Idempotent.' })
  @ApiNoContentResponse({ description: 'Signed out' })
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.sessions.signOut(this.cookie.read(request));
    this.cookie.clear(reply);
  }

  @Get('me')
  @Authenticated()
  @ApiOperation({ operationId: 'getMe', summary: 'The signed-in account.' })
  @ApiOkResponse({ type: UserResponse })
  async me(@CurrentUser() actor: AuthUser): Promise<UserResponse> {
    return toUserResponse(await this.accounts.getProfile(actor));
  }

  @Patch('me')
  @Authenticated()
  @ApiOperation({ operationId: 'updateMe', summary: 'Change display name, time zone (IANA) or locale.' })
  @ApiOkResponse({ type: UserResponse })
  async updateMe(@CurrentUser() actor: AuthUser, @Body() body: UpdateProfileDto): Promise<UserResponse> {
    return toUserResponse(await this.accounts.updateProfile(actor, body));
  }

  @Post('password')
  @Authenticated()
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

  private respond(reply: FastifyReply, session: IssuedSession): AccessTokenResponse {
    this.cookie.set(reply, session.refreshToken, session.refreshExpiresAt);
    return { accessToken: session.accessToken, tokenType: 'Bearer', expiresIn: session.expiresIn };
  }
}
