import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';

/**
 * The base URL at which this process itself is reachable, from the address its HTTP server is
 * actually listening on (so `listen(0)` in tests works too). The local Stripe sandbox is served
 * by this process: the Stripe SDK calls it and it delivers webhooks to it over real HTTP.
 */
@Injectable()
export class OwnServerAddress {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** Throws an ECONNREFUSED-coded error when the server is not listening (yet). */
  baseUrl(): URL {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as { address(): AddressInfo | string | null } | undefined;
    const address = server?.address();
    if (!address || typeof address === 'string') {
      throw Object.assign(new Error('The HTTP server is not listening, so the local Stripe sandbox cannot be reached'), {
        code: 'ECONNREFUSED',
      });
    }
    const host =
      address.address === '0.0.0.0' || address.address === '::'
        ? '127.0.0.1'
        : address.family === 'IPv6'
          ? `[${address.address}]`
          : address.address;
    return new URL(`http://${host}:${address.port}`);
  }
}
