import Stripe from 'stripe';

/**
 * A Stripe SDK HTTP client that sends every request to another base URL (scheme, host, port
 * and path prefix): the local sandbox under /api/sandbox/stripe, stripe-mock, or a test fake.
 * The SDK builds the request as for api.stripe.com (`/v1/...`, form body, headers, retries,
 * idempotency keys); only the destination changes. `base` is read per request because the
 * sandbox's address is only known once the server listens.
 */
export class BaseUrlHttpClient extends Stripe.HttpClient {
  private readonly inner = Stripe.createNodeHttpClient();

  constructor(private readonly base: () => URL) {
    super();
  }

  override getClientName(): string {
    return 'node';
  }

  override makeRequest(
    _host: string,
    _port: string,
    path: string,
    method: string,
    headers: Parameters<Stripe.HttpClient['makeRequest']>[4],
    requestData: string,
    _protocol: string,
    timeout: number,
  ): ReturnType<Stripe.HttpClient['makeRequest']> {
    let url: URL;
    try {
      url = this.base();
    } catch (e) {
      return Promise.reject(e);
    }
    const protocol = url.protocol.replace(/:$/, '');
    const port = url.port || (protocol === 'https' ? '443' : '80');
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const prefix = url.pathname.replace(/\/+$/, '');
    return this.inner.makeRequest(host, port, `${prefix}${path}`, method, headers, requestData, protocol, timeout);
  }
}
