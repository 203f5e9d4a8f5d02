import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { UsersRepository } from '../../src/modules/identity/users.repository';
import { createMarketLawyer, EVERY_DAY, type MarketLawyer } from '../factories/marketplace';
import { createUser } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';
import { nextAvailableJobsDone } from '../support/directory';
import { eventually } from '../support/eventually';

/**
 * The maintenance of the directory's read model (`directory_listings`): which changes refresh a
 * lawyer's rows, and that a refresh neither deadlocks with account changes nor runs where its
 * correctness does not hold.
 */
describe('directory_listings maintenance', () => {
  let t: TestApp;
  let sql: DataSource;
  const clients: Client[] = [];

  const connect = async (): Promise<Client> => {
    const c = new Client({ connectionString: t.db.url });
    await c.connect();
    clients.push(c);
    return c;
  };
  const listing = async (lawyerId: string) =>
    (await sql.query(
      'SELECT currency, price_minor::int AS price, display_name AS name FROM directory_listings WHERE lawyer_id = $1 ORDER BY currency',
      [lawyerId],
    )) as { currency: string; price: number; name: string }[];
  /** Whether the backend `pid` waits for a lock, or `done` has settled (then it will not). */
  const blockedOrDone = async (pid: number, done: { settled: boolean }) =>
    eventually(
      async () => done.settled || (await sql.query('SELECT 1 FROM pg_locks WHERE pid = $1 AND NOT granted', [pid])).length > 0,
    );
  const settle = <T>(p: Promise<T>) => {
    const state = { settled: false, promise: p };
    p.then(
      () => (state.settled = true),
      () => (state.settled = true),
    );
    return state;
  };

  beforeAll(async () => {
    t = await createTestApp();
    sql = t.app.get(DataSource);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end().catch(() => undefined)));
  });
  afterAll(async () => {
    await t?.close();
  });

  const lawyer = (name: string, offerings = [{ priceMinor: 9000, currency: 'EUR' }]): Promise<MarketLawyer> =>
    createMarketLawyer(t, { displayName: name, offerings });

  it('does not deadlock a refresh with a transaction that locked the lawyer’s account row (as an account change does)', async () => {
    const l = await lawyer('Lockstep One');
    const [account, offering] = [await connect(), await connect()];
    const offeringPid = ((await offering.query('SELECT pg_backend_pid() AS pid')).rows[0] as { pid: number }).pid;
    await account.query('BEGIN');
    await account.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [l.id]);
    await offering.query('BEGIN');
    await offering.query('UPDATE offerings SET price_minor = 7777 WHERE id = $1', [l.offerings[0]!.id]);
    // Its refresh takes the lawyer's advisory lock at commit; with a foreign key to users it
    // then waited for the account row, while the account's own refresh waited for the advisory lock.
    const commit = settle(offering.query('COMMIT'));
    await blockedOrDone(offeringPid, commit);
    await account.query(`UPDATE users SET display_name = 'Lockstep Renamed' WHERE id = $1`, [l.id]);
    await account.query('COMMIT');
    await commit.promise;
    expect(await listing(l.id)).toEqual([{ currency: 'EUR', price: 7777, name: 'Lockstep Renamed' }]);
  });

  it('locks an account for a change without holding up rows that reference it (FOR NO KEY UPDATE)', async () => {
    const l = await lawyer('Lockstep Two');
    const other = await connect();
    await other.query(`SET lock_timeout = '5s'`);
    await sql.transaction(async (m) => {
      expect(await t.app.get(UsersRepository, { strict: false }).findByIdForUpdate(m, l.id)).not.toBeNull();
      // A rating's foreign key takes FOR KEY SHARE on the users row: FOR UPDATE blocked it.
      const pid = ((await other.query('SELECT pg_backend_pid() AS pid')).rows[0] as { pid: number }).pid;
      const insert = settle(
        other.query(
          `INSERT INTO lawyer_ratings (lawyer_id, review_count, rating_sum, c1, c2, c3, c4, c5, score, updated_at)
           VALUES ($1, 1, 5, 0, 0, 0, 0, 1, 4.1667, now())`,
          [l.id],
        ),
      );
      await blockedOrDone(pid, insert);
      expect(insert.settled).toBe(true);
      await insert.promise;
    });
  });

  it('rewrites nothing when the sweep stores the same next availability again', async () => {
    const l = await createMarketLawyer(t, {
      displayName: 'Same Time',
      availability: { timeZone: 'UTC', weekly: EVERY_DAY() },
      offerings: [{ priceMinor: 9000, currency: 'EUR' }],
    });
    const version = async () =>
      (await sql.query('SELECT xmin::text AS v FROM directory_listings WHERE lawyer_id = $1', [l.id])) as { v: string }[];
    // The availability set above queued a next-available recompute; once it has run, nothing else
    // touches this lawyer's listing (it would change xmin in the middle of the check).
    await nextAvailableJobsDone(sql, l.id);
    const before = await version();
    expect(before).toHaveLength(1);
    await sql.query('UPDATE lawyer_availability SET next_available_at = next_available_at WHERE lawyer_id = $1', [l.id]);
    expect(await version()).toEqual(before);
    // A changed time still refreshes.
    await sql.query(`UPDATE lawyer_availability SET next_available_at = now() + interval '3 days' WHERE lawyer_id = $1`, [l.id]);
    expect(await version()).not.toEqual(before);
  });

  it('refreshes on account changes of lawyers only, including a change of role either way', async () => {
    const client = await createUser(t, { role: 'CLIENT' });
    const l = await lawyer('Role Changer');
    // Run the deferred trigger now and see whether it took a per-lawyer advisory lock.
    const refreshes = (id: string) =>
      sql.transaction(async (m) => {
        await m.query(`UPDATE users SET display_name = display_name || ' x' WHERE id = $1`, [id]);
        await m.query('SET CONSTRAINTS ALL IMMEDIATE');
        return (
          (await m.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`)) as {
            n: number;
          }[]
        )[0]!.n;
      });
    expect(await refreshes(client.id)).toBe(0);
    expect(await refreshes(l.id)).toBe(1);
    await sql.query(`UPDATE users SET role = 'CLIENT' WHERE id = $1`, [l.id]);
    expect(await listing(l.id)).toEqual([]);
    await sql.query(`UPDATE users SET role = 'LAWYER' WHERE id = $1`, [l.id]);
    expect(await listing(l.id)).toHaveLength(1);
  });

  it('refreshes both lawyers when an offering moves from one to the other', async () => {
    const [from, to] = [await lawyer('Mover From'), await lawyer('Mover To', [{ priceMinor: 9000, currency: 'EUR' }])];
    await sql.query('UPDATE offerings SET lawyer_id = $2 WHERE id = $1', [from.offerings[0]!.id, to.id]);
    expect(await listing(from.id)).toEqual([]);
    expect(await listing(to.id)).toHaveLength(1);
  });

  it('drops the rows of a deleted lawyer account (the read model has no foreign key)', async () => {
    const l = await lawyer('Deleted Lawyer');
    expect(await listing(l.id)).toHaveLength(1);
    const fk = await sql.query(`SELECT 1 FROM pg_constraint WHERE conrelid = 'directory_listings'::regclass AND contype = 'f'`);
    expect(fk).toEqual([]);
    await sql.query('DELETE FROM users WHERE id = $1', [l.id]);
    expect(await listing(l.id)).toEqual([]);
  });

  it('refuses to refresh outside READ COMMITTED (it relies on each statement seeing what committed before its lock)', async () => {
    const l = await lawyer('Snapshot Writer');
    const c = await connect();
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await c.query('UPDATE offerings SET price_minor = 1234 WHERE id = $1', [l.offerings[0]!.id]);
    await expect(c.query('COMMIT')).rejects.toThrow(/needs READ COMMITTED/);
    expect(await listing(l.id)).toEqual([{ currency: 'EUR', price: 9000, name: 'Snapshot Writer' }]);
  });
});
