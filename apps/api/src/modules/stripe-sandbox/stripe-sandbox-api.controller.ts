import { Controller, Get, Post, Req, Res, type RawBodyRequest } from '@nestjs/common';
import { ApiExcludeController, ApiOperation } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { SANDBOX_API_PATH } from '../payments';
import { StripeSandbox } from './stripe-sandbox.service';

/**
 * The local sandbox's stand-in for Stripe's HTTP API (api.stripe.com/v1/...), which the app's
 * own Stripe SDK calls when no STRIPE_SECRET_KEY is set. Public at the HTTP level because
 * Stripe's own authentication applies: the sandbox answers only to its secret key (Bearer), with
 * Stripe's error JSON otherwise. Left out of our OpenAPI document: this is Stripe's API, not ours.
 */
@ApiExcludeController()
@Public()
@Controller('sandbox/stripe/v1')
export class StripeSandboxApiController {
  constructor(private readonly sandbox: StripeSandbox) {}

  @Post('customers')
  @ApiOperation({ operationId: 'sandboxCreateCustomer' })
  createCustomer(@Req() req: RawBodyRequest<FastifyRequest>, @Res() reply: FastifyReply): Promise<void> {
    return this.forward(req, reply);
  }

  @Get('customers/:id')
  @ApiOperation({ operationId: 'sandboxRetrieveCustomer' })
  retrieveCustomer(@Req() req: RawBodyRequest<FastifyRequest>, @Res() reply: FastifyReply): Promise<void> {
    return this.forward(req, reply);
  }

  @Post('checkout/sessions')
  @ApiOperation({ operationId: 'sandboxCreateCheckoutSession' })
  createCheckoutSession(@Req() req: RawBodyRequest<FastifyRequest>, @Res() reply: FastifyReply): Promise<void> {
    return this.forward(req, reply);
  }

  @Get('checkout/sessions')
  @ApiOperation({ operationId: 'sandboxListCheckoutSessions' })
  listCheckoutSessions(@Req() req: RawBodyRequest<FastifyRequest>, @Res() reply: FastifyReply): Promise<void> {
    return this.forward(req, reply);
  }

  @Get('checkout/sessions/:id')
  @ApiOperation({ operationId: 'sandboxRetrieveCheckoutSession' })
  retrieveCheckoutSession(@Req() req: RawBodyRequest<FastifyRequest>, @Res() reply: FastifyReply): Promise<void> {
    return this.forward(req, reply);
  }

  @Post('checkout/sessions/:id/expire')
  @ApiOperation({ operationId: 'sandboxExpireCheckoutSession' })
  expireCheckoutSession(@Req() req: RawBodyRequest<FastifyRequest>, @Res() reply: FastifyReply): Promise<void> {
    return this.forward(req, reply);
  }

  @Post('refunds')
  @ApiOperation({ operationId: 'sandboxCreateRefund' })
  createRefund(@Req() req: RawBodyRequest<FastifyRequest>, @Res() reply: FastifyReply): Promise<void> {
    return this.forward(req, reply);
  }

  @Get('refunds')
  @ApiOperation({ operationId: 'sandboxListRefunds' })
  listRefunds(@Req() req: RawBodyRequest<FastifyRequest>, @Res() reply: FastifyReply): Promise<void> {
    return this.forward(req, reply);
  }

  @Get('refunds/:id')
  @ApiOperation({ operationId: 'sandboxRetrieveRefund' })
  retrieveRefund(@Req() req: RawBodyRequest<FastifyRequest>, @Res() reply: FastifyReply): Promise<void> {
    return this.forward(req, reply);
  }

  @Get('events/:id')
  @ApiOperation({ operationId: 'sandboxRetrieveEvent' })
  retrieveEvent(@Req() req: RawBodyRequest<FastifyRequest>, @Res() reply: FastifyReply): Promise<void> {
    return this.forward(req, reply);
  }

  private async forward(req: RawBodyRequest<FastifyRequest>, reply: FastifyReply): Promise<void> {
    const q = req.url.indexOf('?');
    const path = (q === -1 ? req.url : req.url.slice(0, q)).slice(SANDBOX_API_PATH.length);
    const response = await this.sandbox.handle({
      method: req.method,
      path,
      query: q === -1 ? '' : req.url.slice(q + 1),
      headers: req.headers,
      body: req.rawBody?.toString('utf8') ?? '',
    });
    void reply.status(response.status).headers(response.headers).type('application/json').send(JSON.stringify(response.body));
  }
}
