import { Injectable, Logger } from '@nestjs/common';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';
import { BlobStore } from '../storage/blob-store';
import { JobsService } from '../jobs/jobs.service';
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
  private readonly startedAt = Date.now();

  constructor(
    private readonly db: TypeOrmHealthIndicator,
    private readonly blobs: BlobStore,
    private readonly jobs: JobsService,
  ) {}

  /** Checks every dependency in parallel; a failing one is reported as down, never thrown. */
  async check(): Promise<HealthResponse> {
    const [database, storage, jobs] = await Promise.all([
      this.probe('database', async () => {
        const result = await this.db.pingCheck('database', { timeout: PROBE_TIMEOUT_MS });
        if (result.database?.status !== 'up') throw new Error(String(result.database?.message ?? 'database down'));
      }),
      this.probe('storage', () => this.blobs.ping()),
      this.probe('jobs', () => this.jobs.ping()),
    ]);
    const details = { database, storage, jobs };
    return {
      status: Object.values(details).every((d) => d.status === 'up') ? 'ok' : 'error',
      details,
      version: VERSION,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
    };
  }

  private async probe(name: string, ping: () => Promise<void>): Promise<HealthComponentResponse> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        ping(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
        }),
      ]);
      return { status: 'up' };
    } catch (e) {
      // The reason stays in the logs: this endpoint is public and must not reveal internals.
      this.logger.warn(`${name} is down: ${e instanceof Error ? e.message : String(e)}`);
      return { status: 'down' };
    } finally {
      clearTimeout(timer);
    }
  }
}
