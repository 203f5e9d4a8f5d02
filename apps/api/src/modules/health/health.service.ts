import { Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BlobStore } from '../storage';
import { JobsService } from '../jobs';
import { HealthComponentResponse, HealthResponse } from './dto/health.response';

const VERSION: string = (() => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../../../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

const PROBE_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);
  // Process uptime is a duration, not business time: a monotonic timer, not the clock.
  private readonly startedAt = performance.now();

  constructor(
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly blobs: BlobStore,
    private readonly jobs: JobsService,
  ) {}

  /** Checks every dependency in parallel; a failing one is reported as down, never thrown. */
  async check(): Promise<HealthResponse> {
    const [database, storage, jobs] = await Promise.all([
      // A plain query on the app's pool; terminus' TypeOrmHealthIndicator re-resolves its
      // packages with require() on every call, a measurable cost on a polled endpoint.
      this.probe('database', async () => {
        await this.dataSource.query('SELECT 1');
      }),
      this.probe('storage', () => this.blobs.ping()),
      this.probe('jobs', () => this.jobs.ping()),
    ]);
    const details = { database, storage, jobs };
    return {
      status: Object.values(details).every((d) => d.status === 'up') ? 'ok' : 'error',
      details,
      version: VERSION,
      uptimeSeconds: Math.round((performance.now() - this.startedAt) / 1000),
    };
  }

  private async probe(name: string, ping: () => Promise<void>): Promise<HealthComponentResponse> {
    const indicator = this.indicators.check(name);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        ping(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
        }),
      ]);
      return toComponent(name, indicator.up());
    } catch (e) {
      // The reason stays in the logs: this endpoint is public and must not reveal internals.
      this.logger.warn(`${name} is down: ${e instanceof Error ? e.message : String(e)}`);
      return toComponent(name, indicator.down());
    } finally {
      clearTimeout(timer);
    }
  }
}

function toComponent(name: string, result: HealthIndicatorResult): HealthComponentResponse {
  return { status: result[name]?.status === 'up' ? 'up' : 'down' };
}
