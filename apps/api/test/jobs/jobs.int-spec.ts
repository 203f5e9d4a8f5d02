import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobsService } from '../../src/modules/jobs/jobs.service';
import { createTestApp, TestApp } from '../setup/test-app';
import { eventually } from '../support/eventually';

const QUEUE = 'test-probe-jobs';

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

@Module({ providers: [ProbeWorker] })
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
});
