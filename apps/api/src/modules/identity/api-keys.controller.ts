import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { UuidParam } from '../../common/http/uuid-param';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../common/auth/auth-user';
import { Authenticated, CurrentUser } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyResponse, CreatedApiKeyResponse, toApiKeyResponse } from './dto/api-key.response';
import { CreateApiKeyDto } from './dto/create-api-key.dto';


@ApiTags('api-keys')
@Authenticated()
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @ApiOperation({
    operationId: 'createApiKey',
    summary:
      'Create an API key (use as `Authorization: Bearer <key>`; acts with your role, limited to its scopes). The key is shown only in this response.',
    description:
      'Scopes your role may not hold → 400 API_KEY_SCOPE_NOT_ALLOWED (`details.allowed` lists yours); `admin` is only for ADMIN accounts and only when chosen. ' +
      'An expiry in the past or more than two years away → 400 API_KEY_EXPIRY_INVALID. Only from a signed-in session (an API key gets 403 API_KEY_NOT_ALLOWED). ' +
      'At most 50 unrevoked keys per account → 409 API_KEY_LIMIT (`details.max`).',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  @ApiErrorResponses(409)
  async create(@CurrentUser() actor: AuthUser, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    const { apiKey, secret } = await this.apiKeys.create(actor, {
      name: body.name,
      scopes: body.scopes,
      expiresAt: body.expiresAt ? new Date(body.expiresAt) : undefined,
      rateLimitPerMinute: body.rateLimitPerMinute,
    });
    return { ...toApiKeyResponse(apiKey), key: secret };
  }

  @Get()
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @ApiOperation({ operationId: 'listApiKeys', summary: 'Your API keys, newest first (never the secret).' })
  @ApiOkResponse({ type: [ApiKeyResponse] })
  async list(@CurrentUser() actor: AuthUser): Promise<ApiKeyResponse[]> {
    return (await this.apiKeys.list(actor)).map(toApiKeyResponse);
  }

  @Delete(':id')
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @HttpCode(204)
  @ApiOperation({ operationId: 'revokeApiKey', summary: 'Revoke one of your API keys; it stops working at once.' })
  @ApiNoContentResponse({ description: 'Revoked (also when it already was)' })
  @ApiErrorResponses(404)
  async revoke(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<void> {
    await this.apiKeys.revoke(actor, id);
  }
}
