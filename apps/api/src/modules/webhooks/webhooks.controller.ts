import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '../../common/auth/auth-user';
import { Authenticated, CurrentUser, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { PageQueryDto } from '../../common/http/page-query.dto';
import { UuidParam } from '../../common/http/uuid-param';
import {
  CreatedWebhookEndpointResponse,
  CreateWebhookEndpointDto,
  RotatedWebhookSecretResponse,
  toDeliveryDetailResponse,
  toDeliveryResponse,
  toEndpointResponse,
  UpdateWebhookEndpointDto,
  WebhookDeliveryDetailResponse,
  WebhookDeliveryPageResponse,
  WebhookEndpointResponse,
  WebhookTestEventResponse,
} from './dto/webhooks.dto';
import { WebhookEndpointsService } from './webhook-endpoints.service';

/** Outbound webhooks of the caller (any role): endpoints, their delivery log, replays. Someone else's: 404. */
@ApiTags('webhooks')
@Controller('webhooks')
// Every route: any signed-in role, and for an API key the webhooks:manage scope.
@Authenticated()
@Scopes('webhooks:manage')
export class WebhooksController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Get('endpoints')
  @ApiOperation({ operationId: 'listWebhookEndpoints', summary: 'Your webhook endpoints (never their secrets).' })
  @ApiOkResponse({ type: [WebhookEndpointResponse] })
  async list(@CurrentUser() actor: AuthUser): Promise<WebhookEndpointResponse[]> {
    return (await this.endpoints.list(actor)).map(toEndpointResponse);
  }

  @Post('endpoints')
  @ApiOperation({
    operationId: 'createWebhookEndpoint',
    summary:
      'Register an endpoint for some event types. The response carries its signing secret, shown only this once. From a session: a ' +
      'password sign-in from the last 15 minutes (403 RECENT_SIGN_IN_REQUIRED); with an API key: the webhooks:manage scope. ' +
      '400 VALIDATION_FAILED, WEBHOOK_URL_INVALID (not http(s), credentials, fragment), WEBHOOK_URL_FORBIDDEN (a loopback, private or ' +
      'link-local address in production), WEBHOOK_URL_HTTPS_REQUIRED (http:// in production), WEBHOOK_URL_UNRESOLVABLE; 409 WEBHOOK_ENDPOINT_LIMIT.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookEndpointResponse })
  @ApiErrorResponses(400, 409)
  async create(@CurrentUser() actor: AuthUser, @Body() body: CreateWebhookEndpointDto): Promise<CreatedWebhookEndpointResponse> {
    const { endpoint, secret } = await this.endpoints.create(actor, body);
    return { ...toEndpointResponse(endpoint), secret };
  }

  @Get('endpoints/:id')
  @ApiOperation({ operationId: 'getWebhookEndpoint', summary: 'One of your endpoints. 404 WEBHOOK_ENDPOINT_NOT_FOUND.' })
  @ApiOkResponse({ type: WebhookEndpointResponse })
  @ApiErrorResponses(400, 404)
  async get(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<WebhookEndpointResponse> {
    return toEndpointResponse(await this.endpoints.get(actor, id));
  }

  @Patch('endpoints/:id')
  @ApiOperation({
    operationId: 'updateWebhookEndpoint',
    summary:
      'Change the URL, description or event types, or disable / enable the endpoint (enabling forgets past failures). Same 400s as creation; 404. ' +
      'A new URL from a session needs a password sign-in from the last 15 minutes (403 RECENT_SIGN_IN_REQUIRED), like creation.',
  })
  @ApiOkResponse({ type: WebhookEndpointResponse })
  @ApiErrorResponses(400, 404)
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Body() body: UpdateWebhookEndpointDto,
  ): Promise<WebhookEndpointResponse> {
    return toEndpointResponse(await this.endpoints.update(actor, id, body));
  }

  @Delete('endpoints/:id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteWebhookEndpoint', summary: 'Delete the endpoint and its delivery log. 404.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrorResponses(400, 404)
  async remove(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<void> {
    await this.endpoints.remove(actor, id);
  }

  @Post('endpoints/:id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'rotateWebhookSecret',
    summary:
      'A new signing secret, shown only now. The previous one keeps signing too (a second v1) until previousSecretExpiresAt. 404.',
  })
  @ApiOkResponse({ type: RotatedWebhookSecretResponse })
  @ApiErrorResponses(400, 404)
  async rotate(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<RotatedWebhookSecretResponse> {
    const { endpoint, secret } = await this.endpoints.rotateSecret(actor, id);
    return { endpoint: toEndpointResponse(endpoint), secret };
  }

  @Post('endpoints/:id/test')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'sendWebhookTestEvent',
    summary:
      'Queue a webhook.test event to this endpoint. 404; 409 WEBHOOK_ENDPOINT_DISABLED; 429 RATE_LIMITED (with Retry-After) beyond ' +
      '10 test events and replays per endpoint, or 30 per owner over all endpoints (deleted ones included), per minute.',
  })
  @ApiAcceptedResponse({ type: WebhookTestEventResponse })
  @ApiErrorResponses(400, 404, 409)
  async test(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<WebhookTestEventResponse> {
    return this.endpoints.sendTest(actor, id);
  }

  @Get('endpoints/:id/deliveries')
  @ApiOperation({ operationId: 'listWebhookDeliveries', summary: 'The delivery log of an endpoint, newest first. 404.' })
  @ApiOkResponse({ type: WebhookDeliveryPageResponse })
  @ApiErrorResponses(400, 404)
  async deliveries(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Query() query: PageQueryDto,
  ): Promise<WebhookDeliveryPageResponse> {
    const page = await this.endpoints.deliveries(actor, id, query.page, query.pageSize);
    return { ...page, items: page.items.map(toDeliveryResponse) };
  }

  @Get('deliveries/:id')
  @ApiOperation({
    operationId: 'getWebhookDelivery',
    summary:
      'One delivery: the body sent, the last response (status, first 4 KiB, duration) and every attempt. 404 WEBHOOK_DELIVERY_NOT_FOUND.',
  })
  @ApiOkResponse({ type: WebhookDeliveryDetailResponse })
  @ApiErrorResponses(400, 404)
  async delivery(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
  ): Promise<WebhookDeliveryDetailResponse> {
    return toDeliveryDetailResponse(await this.endpoints.deliveryDetail(actor, id));
  }

  @Post('deliveries/:id/replay')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'replayWebhookDelivery',
    summary:
      'Send this delivery again now (same event id and body, a fresh signature); the attempt joins its log, a 2xx marks it DELIVERED. 404; ' +
      '409 WEBHOOK_ENDPOINT_DISABLED (only an active endpoint is replayed to); 429 RATE_LIMITED (with Retry-After) beyond 10 test ' +
      'events and replays per endpoint, or 30 per owner over all endpoints (deleted ones included), per minute.',
  })
  @ApiOkResponse({ type: WebhookDeliveryDetailResponse })
  @ApiErrorResponses(400, 404, 409)
  async replay(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<WebhookDeliveryDetailResponse> {
    return toDeliveryDetailResponse(await this.endpoints.replay(actor, id));
  }
}
