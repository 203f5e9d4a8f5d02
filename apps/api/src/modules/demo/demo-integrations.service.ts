import { Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { DEMO_API_ORIGIN, demoSignIn, inProcessFetch } from './demo-api-fetch';

export type DemoIntegrations = { kind: 'seeded'; partnerKey: string } | { kind: 'skipped' | 'failed'; reason: string };

/**
 * A scoped API key of the demo partner (`reports:read` only), made through the public API as the
 * Developers page makes one, so the start-up banner can show an integration call that works and
 * one that the scope refuses. The key is printed once, like the passwords.
 */
@Injectable()
export class DemoIntegrationsSeeder {
  private readonly logger = new Logger(DemoIntegrationsSeeder.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  async seed(partner: { email: string; password: string }): Promise<DemoIntegrations> {
    const fetch = inProcessFetch(this.adapterHost.httpAdapter.getInstance<FastifyInstance>());
    let session: Awaited<ReturnType<typeof demoSignIn>> | undefined;
    try {
      session = await demoSignIn(fetch, partner);
      const created = await fetch(`${DEMO_API_ORIGIN}/api/api-keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session.accessToken}` },
        body: JSON.stringify({ name: 'Demo reporting tool', scopes: ['reports:read'] }),
      });
      if (created.status !== 201) throw new Error(`creating the key answered ${created.status}: ${await created.text()}`);
      this.logger.log('Seeded a reports:read API key of the demo partner');
      return { kind: 'seeded', partnerKey: ((await created.json()) as { key: string }).key };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.logger.warn(`Demo API key not seeded: ${reason}`);
      return { kind: 'failed', reason };
    } finally {
      // The seeding's sign-in goes no further.
      await session?.signOut().catch(() => undefined);
    }
  }
}
