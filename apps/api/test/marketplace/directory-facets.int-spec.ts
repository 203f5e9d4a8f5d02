import request from 'supertest';
import { DataSource } from 'typeorm';
import { createMarketLawyer, type MarketLawyer } from '../factories/marketplace';
import { createTestApp, TestApp } from '../setup/test-app';
import { isoWeekdayIn, nextAvailableJobsDone, storeRating, walkDirectory } from '../support/directory';

const DAY = 86_400_000;

interface Card {
  id: string;
  practiceAreas: string[];
  languages: string[];
  jurisdictions: string[];
  fromPriceMinor: number;
  currency: string;
  rating: { average: number | null };
}

/**
 * A search by practice area, language or jurisdiction reads `directory_facets` (the listings filed
 * under each facet, DirectoryFacets1764830000001) instead of testing every listing: it must answer
 * exactly what the listings themselves answer — the unfiltered directory in the same sort, filtered
 * card by card — for every sort, combination, page size and cursor, and the facets must stay the
 * primary listings exploded through every kind of change.
 */
describe('GET /api/lawyers by facet (directory_facets)', () => {
  let t: TestApp;
  let sql: DataSource;
  const lawyers: MarketLawyer[] = [];

  beforeAll(async () => {
    // Several hundred searches from one address: above the default per-address limit.
    t = await createTestApp({ THROTTLE_LIMIT: '100000' });
    sql = t.app.get(DataSource);
    const areas = [
      ['family'],
      ['family', 'tax'],
      ['tax'],
      ['employment', 'family'],
      ['immigration'],
      ['family', 'immigration', 'tax'],
    ];
    const languages = [['en'], ['es', 'en'], ['es'], ['fr', 'en'], ['de', 'es']];
    const jurisdictions = [['ES'], ['US-CA'], ['ES', 'US-NY'], ['GB'], ['US-CA', 'US-NY']];
    for (let i = 0; i < 18; i++) {
      lawyers.push(
        await createMarketLawyer(t, {
          displayName: `Facet ${i}`,
          practiceAreas: areas[i % areas.length],
          languages: languages[i % languages.length],
          jurisdictions: jurisdictions[i % jurisdictions.length],
          // Ties on purpose (same verification day for every third lawyer, equal prices).
          verifiedAt: new Date(Date.now() - ((i % 3) + 1) * DAY),
          availability:
            i % 4 === 0
              ? undefined
              : { timeZone: 'UTC', weekly: [{ weekday: isoWeekdayIn(2 + (i % 3)), start: '09:00', end: '12:00' }] },
          offerings: [{ priceMinor: 5000 + (i % 4) * 2500, currency: i % 5 === 0 ? 'USD' : 'EUR' }],
        }),
      );
    }
    for (const [i, [count, sum]] of [
      [3, 14],
      [2, 9],
      [4, 18],
      [1, 4],
    ].entries()) {
      // Fours and fives only (written as the reviews module stores a rating).
      await storeRating(sql, lawyers[i * 4 + 1]!.id, count, sum);
    }
    // Before any walk (a listing whose next availability lands mid-walk moves between pages).
    await nextAvailableJobsDone(sql);
  });
  afterAll(async () => {
    await t?.close();
  });

  const search = (query: Record<string, string | number>) => request(t.server).get('/api/lawyers').query(query);

  const walk = (query: Record<string, string | number>, pageSize: number) => walkDirectory(t.server, query, pageSize);

  /** What the listings answer: the unfiltered directory in that sort, kept card by card. */
  async function expected(sort: string, filters: Record<string, string | number>): Promise<string[]> {
    const all = await search({ sort, pageSize: 100 }).expect(200);
    return (all.body.items as Card[])
      .filter(
        (c) =>
          (filters.practiceArea === undefined || c.practiceAreas.includes(String(filters.practiceArea))) &&
          (filters.language === undefined || c.languages.includes(String(filters.language))) &&
          (filters.jurisdiction === undefined ||
            c.jurisdictions.map((j) => j.toLowerCase()).includes(String(filters.jurisdiction).toLowerCase())) &&
          // Every lawyer here has offerings in one currency: their card is their listing in it.
          (filters.currency === undefined || c.currency === filters.currency) &&
          (filters.maxPriceMinor === undefined || c.fromPriceMinor <= Number(filters.maxPriceMinor)) &&
          (filters.minRating === undefined || (c.rating.average !== null && c.rating.average >= Number(filters.minRating))),
      )
      .map((c) => c.id);
  }

  const combinations: Record<string, string | number>[] = [
    { practiceArea: 'family' },
    { language: 'es' },
    { jurisdiction: 'us-ca' },
    { jurisdiction: 'US-NY' },
    { practiceArea: 'family', language: 'es' },
    { practiceArea: 'tax', language: 'en', jurisdiction: 'ES' },
    // With a currency, the listings are read (with their covering sort indexes), not the facets.
    { practiceArea: 'family', currency: 'EUR', maxPriceMinor: 7500 },
    { language: 'es', currency: 'USD' },
    { language: 'en', minRating: 3.5 },
    { practiceArea: 'immigration', language: 'de' },
    { practiceArea: 'real-estate' },
  ];

  it.each(['soonest', 'price', 'newest', 'rating'])(
    'answers as the listings do for every filter combination: sort=%s',
    async (sort) => {
      for (const filters of combinations) {
        const want = await expected(sort, filters);
        const got = await search({ ...filters, sort, pageSize: 100 }).expect(200);
        expect({ filters, ids: (got.body.items as Card[]).map((c) => c.id) }).toEqual({ filters, ids: want });
        expect({ filters, total: got.body.total, capped: got.body.totalCapped }).toEqual({
          filters,
          total: want.length,
          capped: false,
        });
        // Cursor pages and page numbers walk the same order.
        expect({ filters, walked: await walk({ ...filters, sort }, 2) }).toEqual({ filters, walked: want });
        if (want.length > 3) {
          const second = await search({ ...filters, sort, pageSize: 2, page: 2 }).expect(200);
          expect((second.body.items as Card[]).map((c) => c.id)).toEqual(want.slice(2, 4));
        }
      }
    },
  );

  /** Rows of directory_facets that are not the primary listings exploded, and the other way round. */
  async function drift(): Promise<{ extra: number; missing: number }> {
    const exploded = `
      SELECT f.facet, n.lawyer_id, n.currency, n.price_minor, n.practice_areas, n.languages, n.jurisdiction_keys,
             n.verified_key, n.soon_at, n.rating_average, n.rating_key, n.rating_count_key
        FROM directory_listings n
        CROSS JOIN LATERAL (SELECT 'a:' || x FROM unnest(n.practice_areas) x
                            UNION SELECT 'l:' || x FROM unnest(n.languages) x
                            UNION SELECT 'j:' || x FROM unnest(n.jurisdiction_keys) x) f(facet)
       WHERE n.is_primary`;
    const stored = `
      SELECT facet, lawyer_id, currency, price_minor, practice_areas, languages, jurisdiction_keys,
             verified_key, soon_at, rating_average, rating_key, rating_count_key FROM directory_facets`;
    const [{ extra, missing }] = await sql.query(
      `SELECT (SELECT count(*) FROM (${stored} EXCEPT ${exploded}) x)::int AS extra, (SELECT count(*) FROM (${exploded} EXCEPT ${stored}) x)::int AS missing`,
    );
    return { extra, missing };
  }

  it('stays the primary listings exploded through profile, price, rating, availability and account changes', async () => {
    expect(await drift()).toEqual({ extra: 0, missing: 0 });
    const [a, b, c, d] = [lawyers[2]!, lawyers[3]!, lawyers[6]!, lawyers[7]!];
    // New areas and languages (the profile), a cheaper offering in another currency (the primary
    // row moves), a rating, a suspension and a lawyer's last offering going away.
    await sql.query(
      `UPDATE lawyer_profiles SET practice_areas = '{criminal-defense,tax}', languages = '{it}' WHERE user_id = $1`,
      [a.id],
    );
    await sql.query(
      `INSERT INTO offerings (lawyer_id, title, description, duration_minutes, price_minor, currency, active)
       VALUES ($1, 'Short call', '', 15, 1000, 'GBP', true)`,
      [b.id],
    );
    await storeRating(sql, c.id, 2, 10);
    await sql.query(`UPDATE users SET status = 'SUSPENDED' WHERE id = $1`, [d.id]);
    await sql.query('UPDATE offerings SET active = false WHERE lawyer_id = $1', [lawyers[8]!.id]);
    expect(await drift()).toEqual({ extra: 0, missing: 0 });

    const criminal = await search({ practiceArea: 'criminal-defense' }).expect(200);
    expect((criminal.body.items as Card[]).map((x) => x.id)).toEqual([a.id]);
    const italian = await search({ language: 'it', practiceArea: 'tax' }).expect(200);
    expect((italian.body.items as Card[]).map((x) => x.id)).toEqual([a.id]);
    for (const gone of [d.id, lawyers[8]!.id]) {
      for (const facet of [{ practiceArea: 'family' }, { practiceArea: 'tax' }, { language: 'en' }, { language: 'es' }] as Record<
        string,
        string
      >[]) {
        const res = await search({ ...facet, pageSize: 100 }).expect(200);
        expect((res.body.items as Card[]).map((x) => x.id)).not.toContain(gone);
      }
    }
    // b is admitted in GB (jurisdictions[3]).
    const gbp = await search({ jurisdiction: 'GB', sort: 'price', pageSize: 100 }).expect(200);
    expect((gbp.body.items as Card[]).find((x) => x.id === b.id)).toMatchObject({ fromPriceMinor: 1000, currency: 'GBP' });

    // Nothing updates listings in place today; should anything, the facets follow (old ones out first).
    await sql.query(
      `UPDATE directory_listings SET languages = '{nl}', soon_at = soon_at + interval '1 day' WHERE lawyer_id = $1`,
      [c.id],
    );
    expect(await drift()).toEqual({ extra: 0, missing: 0 });
    expect(((await search({ language: 'nl' }).expect(200)).body.items as Card[]).map((x) => x.id)).toEqual([c.id]);
    await sql.query('SELECT directory_listings_refresh(ARRAY[$1::uuid])', [c.id]);
    expect(await drift()).toEqual({ extra: 0, missing: 0 });

    // A refresh rolled back leaves the facets as they were.
    await sql
      .transaction(async (m) => {
        await m.query(`UPDATE lawyer_profiles SET practice_areas = '{immigration}' WHERE user_id = $1`, [c.id]);
        await m.query('SET CONSTRAINTS ALL IMMEDIATE');
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    expect(await drift()).toEqual({ extra: 0, missing: 0 });
    for (const sort of ['soonest', 'price', 'newest', 'rating']) {
      for (const filters of combinations) {
        const got = await search({ ...filters, sort, pageSize: 100 }).expect(200);
        expect({ sort, filters, ids: (got.body.items as Card[]).map((x) => x.id) }).toEqual({
          sort,
          filters,
          ids: await expected(sort, filters),
        });
      }
    }
  });
});
