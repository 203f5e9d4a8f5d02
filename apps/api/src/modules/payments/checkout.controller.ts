import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { UuidParam } from '../../common/http/uuid-param';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';

import { CheckoutService } from './checkout.service';
import { CheckoutSessionResponse } from './dto/checkout-session.response';
import { CreateCheckoutSessionDto } from './dto/create-checkout-session.dto';

@ApiTags('payments')
@Controller('checkout')
export class CheckoutController {
  constructor(private readonly checkout: CheckoutService) {}

  @Post('create-session')
  @Roles(Role.CLIENT)
  @Scopes('sessions:write')
  @ApiOperation({
    operationId: 'createCheckoutSession',
    summary:
      'Buy an offering: creates the session (PENDING_PAYMENT, terms frozen) and a Stripe Checkout Session; send the client to checkoutUrl. ' +
      'One pending checkout per client and offering: while one is open, its URL is returned again (resumed: true). ' +
      'Scheduling unlocks when Stripe confirms the payment. 403 EMAIL_NOT_VERIFIED until the client verified their email (CLIENT).',
  })
  @ApiCreatedResponse({ type: CheckoutSessionResponse })
  @ApiErrorResponses(404, 502, 503)
  async createSession(@CurrentUser() actor: AuthUser, @Body() body: CreateCheckoutSessionDto): Promise<CheckoutSessionResponse> {
    const started = await this.checkout.createSession(actor, body.offeringId);
    return { sessionId: started.sessionId, checkoutUrl: started.checkoutUrl, resumed: started.resumed };
  }

  @Post('sessions/:sessionId/resume')
  @HttpCode(200)
  @Roles(Role.CLIENT)
  @Scopes('sessions:write')
  @ApiOperation({
    operationId: 'resumeCheckout',
    summary: 'The checkout URL of one of your unpaid sessions whose Stripe checkout is still open; 409 CHECKOUT_NOT_OPEN otherwise (CLIENT).',
  })
  @ApiOkResponse({ type: CheckoutSessionResponse })
  @ApiErrorResponses(400, 404, 409, 502, 503)
  async resume(@CurrentUser() actor: AuthUser, @Param('sessionId', UuidParam('sessionId')) sessionId: string): Promise<CheckoutSessionResponse> {
    return { ...(await this.checkout.resume(actor, sessionId)), resumed: true };
  }
}
