import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import PgBoss from 'pg-boss';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { AppConfig } from '../../config/app-config';

export type JobHandler<T extends object> = (jobs: PgBoss.Job<T>[]) => Promise<void>;

interface Registration {
  queue: PgBoss.Queue;
  handler?: JobHandler<object>;
  workOptions?: PgBoss.WorkOptions;
  cron?: { expression: string; data?: object; tz?: string };
  /** Workers of this queue in this process (default 1). */
  workers: number;
}

/**
 * Background jobs on pg-boss, stored in the same PostgreSQL as everything else. Modules
 * declare their queues in `onModuleInit` with `register`; queues are created and workers
 * started once the app has bootstrapped (only when JOBS_ENABLED, so a replica can be
 * API-only). `send` with a `manager` enqueues inside the caller's transaction: the job exists
 * if and only if the change that caused it commits.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobsService.name);
  private readonly registrations = new Map<string, Registration>();
  private boss?: PgBoss;
  private started = false;

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  register<T extends object>(
    queue: PgBoss.Queue,
    handler?: JobHandler<T>,
    options: { work?: PgBoss.WorkOptions; cron?: Registration['cron']; workers?: number } = {},
  ): void {
    if (this.started) throw new Error(`Queue ${queue.name} registered after start`);
    this.registrations.set(queue.name, {
      queue,
      handler: handler as JobHandler<object> | undefined,
      workOptions: options.work,
      cron: options.cron,
      workers: options.workers ?? 1,
    });
  }

  /**
   * Like `register`, for a handler of one job at a time that may run `concurrency` jobs at once:
   * each worker fetches up to that many jobs and runs them side by side. A job whose handler
   * throws is failed alone (retried by the queue's policy: retryLimit, retryDelay, backoff) and
   * the others complete, as if each had been fetched by itself. The jobs of a batch run
   * concurrently, so handlers must not rely on their queue's order.
   */
  registerEach<T extends object>(
    queue: PgBoss.Queue,
    handler: (job: PgBoss.JobWithMetadata<T>) => Promise<void>,
    options: { concurrency: number; work?: Omit<PgBoss.WorkOptions, 'batchSize' | 'includeMetadata'>; cron?: Registration['cron']; workers?: number },
  ): void {
    const { concurrency, work, ...rest } = options;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`Invalid concurrency ${concurrency} for ${queue.name}`);
    this.register<T>(
      queue,
      async (jobs) => {
        const results = await Promise.allSettled(jobs.map((job) => handler(job as PgBoss.JobWithMetadata<T>)));
        // pg-boss completes the batch when this returns, but only jobs still active: the ones
        // failed here keep their failure (and retry).
        await Promise.all(
          results.map((r, i) => (r.status === 'rejected' ? this.failOne(queue.name, jobs[i]!.id, r.reason) : undefined)),
        );
      },
      { ...rest, work: { ...work, batchSize: concurrency, includeMetadata: true } as PgBoss.WorkOptions },
    );
  }

  private async failOne(queue: string, id: string, reason: unknown): Promise<void> {
    const error = reason instanceof Error ? { message: reason.message, name: reason.name, stack: reason.stack } : { message: String(reason) };
    this.logger.warn(`Job ${queue} ${id} failed: ${error.message}`);
    await this.requireBoss().fail(queue, id, error);
  }

  async onApplicationBootstrap(): Promise<void> {
    const url = (this.dataSource.options as PostgresConnectionOptions).url;
    this.boss = new PgBoss({
      connectionString: url,
      max: 4,
      application_name: 'lm-jobs',
      supervise: this.config.JOBS_ENABLED,
      schedule: this.config.JOBS_ENABLED,
    });
    this.boss.on('error', (err: unknown) => this.logger.error({ err }, 'pg-boss error'));
    await this.boss.start();
    for (const { queue, handler, workOptions, cron, workers } of this.registrations.values()) {
      await this.boss.createQueue(queue.name, queue);
      if (!this.config.JOBS_ENABLED) continue;
      // Several workers poll independently, so a burst is not paced by one worker's polling interval.
      if (handler) for (let i = 0; i < workers; i++) await this.boss.work(queue.name, workOptions ?? {}, handler);
      if (cron) await this.boss.schedule(queue.name, cron.expression, cron.data ?? {}, { tz: cron.tz ?? 'UTC' });
    }
    this.started = true;
    this.logger.log(`Jobs ${this.config.JOBS_ENABLED ? 'started' : 'in send-only mode'} (${this.registrations.size} queues)`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.boss) return;
    const boss = this.boss;
    this.boss = undefined;
    this.started = false;
    // Graceful: lets running handlers finish (bounded), then closes pg-boss' pool.
    await boss.stop({ graceful: true, wait: true, timeout: 15_000, close: true });
  }

  /** Enqueues a job; pass the running transaction's manager to make it part of that transaction. */
  async send(queue: string, data: object, options: PgBoss.SendOptions & { manager?: EntityManager } = {}): Promise<string | null> {
    const boss = this.requireBoss();
    const { manager, ...sendOptions } = options;
    if (manager) {
      const runner = manager.queryRunner;
      if (!runner?.isTransactionActive) throw new Error('JobsService.send: manager is not inside a transaction');
      sendOptions.db = {
        executeSql: async (text: string, values: unknown[]) => ({ rows: (await runner.query(text, values, true)).records }),
      };
    }
    return boss.send(queue, data, sendOptions);
  }

  /** Health: pg-boss is running and its schema answers. */
  async ping(): Promise<void> {
    const boss = this.requireBoss();
    if (!(await boss.isInstalled())) throw new Error('pg-boss schema is not installed');
  }

  private requireBoss(): PgBoss {
    if (!this.boss) throw new Error('Jobs are not running');
    return this.boss;
  }
}
