import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobsService } from '../../src/modules/jobs/jobs.service';
import { createTestApp, TestApp } from '../setup/test-app';
import { eventually } from '../support/eventually';

const QUEUE = 'test-probe-jobs';
const EACH_QUEUE = 'test-probe-jobs-each';

@Injectable()
class ProbeWorker implements OnModuleInit {
  static readonly handled: string[] = [];
  constructor(private readonly jobs: JobsService) {}
  onModuleInit(): void {
    this.jobs.register<{ marker: string }>(
      { name: QUEUE },
      async (jobs) => {
        for (const job of jobs) ProbeWorker.handled.push(job.data.marker);
      },
      { work: { pollingIntervalSeconds: 0.5 } },
    );
  }
}

/** registerEach: a batch runs side by side; `fail-once` throws on its first attempt only. */
@Injectable()
class EachWorker implements OnModuleInit {
  static readonly attempts: { marker: string; retryCount: number }[] = [];
  static running = 0;
  static maxRunning = 0;
  constructor(private readonly jobs: JobsService) {}
  onModuleInit(): void {
    this.jobs.registerEach<{ marker: string }>(
      { name: EACH_QUEUE, retryLimit: 2, retryDelay: 1 },
      async (job) => {
        EachWorker.attempts.push({ marker: job.data.marker, retryCount: job.retryCount });
        EachWorker.running++;
        EachWorker.maxRunning = Math.max(EachWorker.maxRunning, EachWorker.running);
        await new Promise((r) => setTimeout(r, 200));
        EachWorker.running--;
        if (job.data.marker === 'fail-once' && job.retryCount === 0) throw new Error('temporary');
      },
      { concurrency: 4, work: { pollingIntervalSeconds: 0.5 } },
    );
  }
}

@Module({ providers: [ProbeWorker, EachWorker] })
class ProbeJobsModule {}

async function queued(ds: DataSource, marker: string): Promise<number> {
  const rows = await ds.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'marker' = $2`, [
    QUEUE,
    marker,
  ]);
  return rows[0].n;
}

describe('JobsService (pg-boss on the app database)', () => {
  let t: TestApp;
  let jobs: JobsService;
  let ds: DataSource;

  beforeAll(async () => {
    t = await createTestApp({}, [ProbeJobsModule]);
    jobs = t.app.get(JobsService);
    ds = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a job sent inside a transaction that rolls back never exists', async () => {
    await expect(
      ds.transaction(async (manager) => {
        await jobs.send(QUEUE, { marker: 'rolled-back' }, { manager });
        expect(await manager.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'marker' = 'rolled-back'`)).toEqual([
          { n: 1 },
        ]);
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await queued(ds, 'rolled-back')).toBe(0);
  });

  it('a job sent inside a committed transaction is stored and then processed by its worker', async () => {
    await ds.transaction(async (manager) => {
      await jobs.send(QUEUE, { marker: 'committed' }, { manager });
    });
    expect(await queued(ds, 'committed')).toBe(1);
    await eventually(() => ProbeWorker.handled.includes('committed'));
  });

  it('refuses a manager that is not inside a transaction', async () => {
    await expect(jobs.send(QUEUE, { marker: 'x' }, { manager: ds.manager })).rejects.toThrow(/not inside a transaction/);
  });

  it('registerEach runs a batch side by side; a job that throws is retried alone, the others complete once', async () => {
    const markers = ['each-1', 'each-2', 'fail-once', 'each-3'];
    // Sent in one transaction, so the first fetch finds all four.
    await ds.transaction(async (manager) => {
      for (const marker of markers) await jobs.send(EACH_QUEUE, { marker }, { manager });
    });
    const states = () =>
      ds.query(`SELECT data->>'marker' AS marker, state, retry_count AS "retryCount" FROM pgboss.job WHERE name = $1 ORDER BY 1`, [EACH_QUEUE]) as Promise<
        { marker: string; state: string; retryCount: number }[]
      >;
    const done = await eventually(states, (rows) => rows.length === 4 && rows.every((r) => r.state === 'completed'), 20_000);
    expect(done.find((r) => r.marker === 'fail-once')!.retryCount).toBe(1);
    expect(done.filter((r) => r.marker !== 'fail-once').every((r) => r.retryCount === 0)).toBe(true);
    const tries = (marker: string) => EachWorker.attempts.filter((a) => a.marker === marker).map((a) => a.retryCount);
    expect(tries('fail-once')).toEqual([0, 1]);
    for (const marker of ['each-1', 'each-2', 'each-3']) expect(tries(marker)).toEqual([0]);
    expect(EachWorker.maxRunning).toBeGreaterThan(1);
  });
});
