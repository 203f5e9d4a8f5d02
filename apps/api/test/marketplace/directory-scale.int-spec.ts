import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createMarketLawyer, type MarketLawyer } from '../factories/marketplace';
import { createTestApp, TestApp } from '../setup/test-app';
import { isoWeekdayIn, nextAvailableJobsDone, storeRating, walkDirectory } from '../support/directory';
import { eventually } from '../support/eventually';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

interface Card {
  id: string;
  displayName: string;
  fromPriceMinor: number;
  currency: string;
  nextAvailableAt: string | null;
}

/**
 * The directory at scale (issue 18): the `directory_listings` read model, keyset pages, capped
 * totals. The same filters and sorts as directory.int-spec.ts, walked page by page.
 */
describe('GET /api/lawyers at scale (read model, cursor, capped total)', () => {
  let t: TestApp;
  let sql: DataSource;
  const lawyers: MarketLawyer[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    sql = t.app.get(DataSource);
    // Ties on purpose: equal prices, equal verification times, several currencies, some without availability.
    const same = daysAgo(3);
    const specs = [
      { price: 9000, currency: 'EUR', verifiedAt: same, available: true },
      { price: 9000, currency: 'EUR', verifiedAt: same, available: false },
      { price: 5000, currency: 'USD', verifiedAt: daysAgo(1), available: true },
      { price: 12000, currency: 'EUR', verifiedAt: daysAgo(7), available: false },
      { price: 9000, currency: 'GBP', verifiedAt: same, available: true },
      { price: 7000, currency: 'EUR', verifiedAt: daysAgo(2), available: false },
      { price: 9000, currency: 'EUR', verifiedAt: daysAgo(5), available: true },
    ];
    for (const [i, s] of specs.entries()) {
      lawyers.push(
        await createMarketLawyer(t, {
          displayName: `Pagewalker ${i}`,
          verifiedAt: s.verifiedAt,
          // One window three days ahead: a next availability that stays put while the test walks
          // (an every-day window's next slot moves as real time crosses a slot boundary, and a
          // row moving between two pages of a walk is skipped or seen twice, as keyset paging is).
          availability: s.available
            ? { timeZone: 'UTC', weekly: [{ weekday: isoWeekdayIn(3), start: '09:00', end: '12:00' }] }
            : undefined,
          offerings: [
            { priceMinor: s.price, currency: s.currency },
            { priceMinor: s.price + 1000, currency: s.currency === 'EUR' ? 'USD' : 'EUR' },
          ],
        }),
      );
    }
    // Some with a rating (written as the reviews module stores it).
    for (const [i, [count, sum]] of [
      [3, 14],
      [1, 5],
      [3, 14],
    ].entries()) {
      await storeRating(sql, lawyers[i]!.id, count, sum);
    }
    await nextAvailableJobsDone(sql);
  });
  afterAll(async () => {
    await t?.close();
  });

  const search = (query: Record<string, string | number>) => request(t.server).get('/api/lawyers').query(query);

  const walk = (query: Record<string, string | number>, pageSize: number) => walkDirectory(t.server, query, pageSize);

  it.each([
    ['soonest', {}],
    ['price', {}],
    ['newest', {}],
    ['rating', {}],
    ['relevance', { q: 'pagewalker' }],
    ['soonest', { currency: 'EUR' }],
    ['price', { currency: 'USD', maxPriceMinor: 20000 }],
    ['rating', { currency: 'EUR' }],
  ] as const)('walks every lawyer once, in the order of one big page: sort=%s %j', async (sort, filters) => {
    const query = { q: 'pagewalker', ...filters, sort };
    const all = await search({ ...query, pageSize: 100 }).expect(200);
    const expected = (all.body.items as Card[]).map((c) => c.id);
    expect(expected.length).toBeGreaterThan(2);
    expect(all.body.nextCursor).toBeNull();
    for (const size of [1, 2, 3]) expect(await walk(query, size)).toEqual(expected);
    // Page numbers still agree with the cursor's pages.
    const second = await search({ ...query, pageSize: 2, page: 2 }).expect(200);
    expect((second.body.items as Card[]).map((c) => c.id)).toEqual(expected.slice(2, 4));
  });

  it('shows the cheapest offering in the filtered currency, one card per lawyer', async () => {
    const eur = (await search({ q: 'pagewalker', currency: 'EUR', sort: 'price', pageSize: 100 }).expect(200)).body
      .items as Card[];
    expect(eur.every((c) => c.currency === 'EUR')).toBe(true);
    expect(new Set(eur.map((c) => c.id)).size).toBe(lawyers.length);
    const usdLawyer = eur.find((c) => c.id === lawyers[2]!.id)!;
    expect(usdLawyer.fromPriceMinor).toBe(6000);
  });

  it('refuses a cursor it did not give out, or one of another sort, with 400', async () => {
    const first = await search({ q: 'pagewalker', sort: 'price', pageSize: 1 }).expect(200);
    const cursor = first.body.nextCursor as string;
    for (const bad of [
      'x',
      Buffer.from('{"s":"price","k":[1,2]}').toString('base64url'),
      Buffer.from('[]').toString('base64url'),
    ]) {
      const res = await search({ sort: 'price', cursor: bad }).expect(400);
      expect(res.body.code).toBe('INVALID_DIRECTORY_FILTER');
    }
    expect((await search({ sort: 'newest', cursor }).expect(400)).body.code).toBe('INVALID_DIRECTORY_FILTER');
    expect((await search({ page: 1001, pageSize: 10 }).expect(400)).body.code).toBe('INVALID_DIRECTORY_FILTER');
  });

  it('refuses a cursor of the right shape whose values PostgreSQL would not take (400, not a query error)', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    const cursor = (s: string, k: unknown[]) => Buffer.from(JSON.stringify({ s, k })).toString('base64url');
    const tampered: [string, unknown[]][] = [
      ['soonest', ['2026-02-30T00:00:00Z', 1000, id]], // no such day: 22008 on ::timestamptz
      ['soonest', ['0000-01-01T00:00:00Z', 1000, id]], // no year 0
      ['soonest', ['2026-01-01T10:00:00+16:00', 1000, id]], // offset out of range
      ['rating', [-4.5, 2 ** 31, id]], // past int4: 22003
      ['rating', [-4.5, -(2 ** 31) - 1, id]],
      ['relevance', [1e300, -1, id]], // past real: 22003
      ['relevance', [1e-300, -1, id]], // underflows real: 22003
    ];
    for (const [sort, key] of tampered) {
      const res = await search({ q: 'pagewalker', sort, cursor: cursor(sort, key) });
      expect({ key, status: res.status, code: res.body.code }).toEqual({ key, status: 400, code: 'INVALID_DIRECTORY_FILTER' });
    }
    // The same shapes in range still page on.
    for (const [sort, key] of [
      ['soonest', ['2024-02-29T23:59:59.5+14:00', 1000, id]],
      ['soonest', ['infinity', 1000, id]],
      ['rating', [1000, -(2 ** 31), id]],
      ['relevance', [-0.06, -1, id]],
    ] as [string, unknown[]][]) {
      await search({ q: 'pagewalker', sort, cursor: cursor(sort, key) }).expect(200);
    }
  });

  it('never shows a next availability in the past: a passed one is shown as none, and its recomputation queued, without a write in the request', async () => {
    const lawyer = lawyers[0]!;
    // Workers run in the test app: wait for this lawyer's queue to be idle, so the job counted below is the directory's.
    const all = async () =>
      (
        await sql.query(
          `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'marketplace.next-available' AND data->>'lawyerId' = $1`,
          [lawyer.id],
        )
      )[0].n as number;
    await nextAvailableJobsDone(sql, lawyer.id);
    const jobsBefore = await all();
    await sql.query(`UPDATE lawyer_availability SET next_available_at = now() - interval '2 hours' WHERE lawyer_id = $1`, [
      lawyer.id,
    ]);
    const listedAt = async () =>
      new Date(
        (
          await sql.query('SELECT next_available_at AS at FROM directory_listings WHERE lawyer_id = $1 AND is_primary', [
            lawyer.id,
          ])
        )[0].at,
      ).getTime();
    const passed = await listedAt();
    expect(passed).toBeLessThan(Date.now());
    const card = async (sort: string) =>
      ((await search({ q: 'pagewalker', sort, pageSize: 100 }).expect(200)).body.items as Card[]).find(
        (c) => c.id === lawyer.id,
      )!;
    // The first page read the passed time: it shows none (the old code recomputed inline and showed the new time).
    expect((await card('newest')).nextAvailableAt).toBeNull();
    // Later views show none or, once the queued job has run, a time to come; never the passed one.
    const noneOrFuture = (at: string | null) => at === null || new Date(at).getTime() > Date.now() - 1000;
    expect(noneOrFuture((await card('soonest')).nextAvailableAt)).toBe(true);
    expect(noneOrFuture((await request(t.server).get(`/api/lawyers/${lawyer.id}`).expect(200)).body.nextAvailableAt)).toBe(true);
    // The request queued one recomputation (singleton per lawyer, not one per view) ...
    expect(await all()).toBe(jobsBefore + 1);
    // ... which the worker runs: the listing converges to a time to come.
    await eventually(listedAt, (at) => at > Date.now());
    const after = await card('newest');
    expect(new Date(after.nextAvailableAt!).getTime()).toBeGreaterThan(Date.now() - 1000);
  });

  it('keeps the listing exact when two transactions change one lawyer at once (price and rating)', async () => {
    const lawyer = lawyers[6]!;
    const offering = lawyer.offerings[0]!;
    const url = t.db.url;
    const [a, b] = [new Client({ connectionString: url }), new Client({ connectionString: url })];
    await Promise.all([a.connect(), b.connect()]);
    try {
      await a.query('BEGIN');
      await b.query('BEGIN');
      await a.query('UPDATE offerings SET price_minor = 4321 WHERE id = $1', [offering.id]);
      await b.query(
        `INSERT INTO lawyer_ratings (lawyer_id, review_count, rating_sum, c1, c2, c3, c4, c5, score, updated_at)
         VALUES ($1, 2, 10, 0, 0, 0, 0, 2, 4.2857, now())`,
        [lawyer.id],
      );
      // Both commit concurrently: each refresh waits for the other's and then reads what it committed.
      await Promise.all([a.query('COMMIT'), b.query('COMMIT')]);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
    const rows = await sql.query(
      'SELECT price_minor::int AS price, rating_count AS count FROM directory_listings WHERE lawyer_id = $1 AND is_primary',
      [lawyer.id],
    );
    expect(rows).toEqual([{ price: 4321, count: 2 }]);
  });

  it('follows suspension, a rename and the last offering going away in the same transaction', async () => {
    const lawyer = lawyers[5]!;
    const inListing = async () =>
      (await sql.query('SELECT display_name AS name FROM directory_listings WHERE lawyer_id = $1', [lawyer.id])) as {
        name: string;
      }[];
    await sql.query(`UPDATE users SET display_name = 'Pagewalker Renamed' WHERE id = $1`, [lawyer.id]);
    expect((await inListing()).map((r) => r.name)).toEqual(['Pagewalker Renamed', 'Pagewalker Renamed']);
    await sql.query(`UPDATE users SET status = 'SUSPENDED' WHERE id = $1`, [lawyer.id]);
    expect(await inListing()).toEqual([]);
    await sql.query(`UPDATE users SET status = 'ACTIVE' WHERE id = $1`, [lawyer.id]);
    expect((await inListing()).length).toBe(2);
    await sql.query('UPDATE offerings SET active = false WHERE lawyer_id = $1', [lawyer.id]);
    expect(await inListing()).toEqual([]);
  });

  it('counts exactly up to 1,000 (100 for a narrowed search) and then says so (totalCapped), paging on by cursor', async () => {
    // 1,005 more listed lawyers, written in bulk (the triggers refresh them at commit).
    await sql.transaction(async (m) => {
      await m.query(
        `INSERT INTO users (email, password_hash, role, display_name)
         SELECT 'bulk-' || n || '@scale.example', $1, 'LAWYER', 'Bulkname ' || n FROM generate_series(1, 1005) n`,
        // Never a usable hash (the bench seed's): these accounts cannot sign in.
        ['$argon2id$v=19$m=65536,t=3,p=4$YmVuY2g$bm8tbG9naW4tYmVuY2gtYWNjb3VudA'],
      );
      await m.query(
        `INSERT INTO lawyer_profiles (user_id, bar_number, bar_jurisdiction, jurisdictions, practice_areas, languages, bio, status, verified_at, verified_by)
         SELECT id, 'B', 'Bar', '{ES}', '{tax}', '{en}', 'Bulk', 'VERIFIED', now(),
                (SELECT id FROM users WHERE role = 'ADMIN' LIMIT 1) FROM users WHERE email LIKE 'bulk-%@scale.example'`,
      );
      await m.query(
        `INSERT INTO offerings (lawyer_id, title, description, duration_minutes, price_minor, currency, active)
         SELECT id, 'Consultation', '', 30, 5000, 'EUR', true FROM users WHERE email LIKE 'bulk-%@scale.example'`,
      );
    });
    const capped = await search({ pageSize: 50 }).expect(200);
    expect(capped.body).toMatchObject({ total: 1000, totalCapped: true });
    expect(capped.body.items).toHaveLength(50);
    const cappedSearch = await search({ q: 'bulkname', pageSize: 50 }).expect(200);
    expect(cappedSearch.body).toMatchObject({ total: 100, totalCapped: true });
    const cappedFilter = await search({ practiceArea: 'tax', language: 'en', pageSize: 50 }).expect(200);
    expect(cappedFilter.body).toMatchObject({ total: 100, totalCapped: true });
    const exact = await search({ q: 'pagewalker', pageSize: 50 }).expect(200);
    expect(exact.body).toMatchObject({ total: lawyers.length - 1, totalCapped: false });
    expect(await walk({ q: 'bulkname', sort: 'newest' }, 100)).toHaveLength(1005);
  });
});
