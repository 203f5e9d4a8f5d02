import request from 'supertest';
import { bearer } from '../factories/users';
import { createMarketLawyer, EVERY_DAY, insertHeldSession, type MarketLawyer } from '../factories/marketplace';
import { createTestApp, TestApp } from '../setup/test-app';

const PROFILE = {
  barNumber: 'ICAM-1',
  barJurisdiction: 'Madrid, Spain',
  jurisdictions: ['ES'],
  practiceAreas: ['family'],
  languages: ['es'],
  bio: 'Family lawyer.',
};

const fieldsOf = (res: request.Response): Record<string, string[]> =>
  Object.fromEntries(
    (res.body.details?.fields ?? res.body.fields ?? []).map((f: { field: string; messages: string[] }) => [f.field, f.messages]),
  );

describe('jurisdictions and languages by name (directory, profile) and the public free-times preview', () => {
  let t: TestApp;
  let madrid: MarketLawyer;
  let newYork: MarketLawyer;

  beforeAll(async () => {
    t = await createTestApp();
    madrid = await createMarketLawyer(t, {
      displayName: 'Marta Serrano',
      practiceAreas: ['immigration'],
      jurisdictions: ['ES', 'EU'],
      languages: ['es', 'en'],
      bio: 'Residency permits and visas.',
      availability: { timeZone: 'Europe/Madrid', weekly: EVERY_DAY('09:00', '17:00') },
      offerings: [{ durationMinutes: 60, priceMinor: 9_000, currency: 'EUR' }],
    });
    newYork = await createMarketLawyer(t, {
      displayName: 'Jordan Blake',
      practiceAreas: ['employment'],
      jurisdictions: ['US-NY'],
      languages: ['en'],
      bio: 'Workplace claims.',
      offerings: [{ durationMinutes: 30, priceMinor: 15_000, currency: 'USD' }],
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const search = async (query: Record<string, string>) =>
    ((await request(t.server).get('/api/lawyers').query(query).expect(200)).body.items as { id: string }[]).map((i) => i.id);

  describe('the directory accepts names for places', () => {
    it.each([
      ['jurisdiction=Spain', { jurisdiction: 'Spain' }, 'madrid'],
      ['jurisdiction=es (code, any case)', { jurisdiction: 'es' }, 'madrid'],
      ['jurisdiction=New York', { jurisdiction: 'New York' }, 'newYork'],
      ['q=Spain', { q: 'Spain' }, 'madrid'],
      ['q=immigration spain', { q: 'immigration spain' }, 'madrid'],
      ['q=New York', { q: 'New York' }, 'newYork'],
    ])('%s', async (_label, query, who) => {
      const ids = await search(query);
      const expected = who === 'madrid' ? madrid.id : newYork.id;
      const other = who === 'madrid' ? newYork.id : madrid.id;
      expect(ids).toContain(expected);
      expect(ids).not.toContain(other);
    });

    it('a place name in the text does not hide a lawyer whose own name is that word', async () => {
      // "Jordan" is a country (JO) and Jordan Blake's first name.
      expect(await search({ q: 'Jordan' })).toContain(newYork.id);
      // Words that match nobody and no place still find nothing.
      expect(await search({ q: 'immigration Japan' })).toEqual([]);
    });
  });

  describe('the profile takes codes from the lists', () => {
    it.each([
      ['a free-text jurisdiction', { jurisdictions: ['Spain'] }, 'jurisdictions'],
      ['an unknown code', { jurisdictions: ['ZZ'] }, 'jurisdictions'],
      ['an unknown language', { languages: ['xx'] }, 'languages'],
      ['a language name instead of its code', { languages: ['Spanish'] }, 'languages'],
    ])('refuses %s with 400 VALIDATION_FAILED naming the field', async (_label, bad, field) => {
      const res = await request(t.server)
        .put('/api/lawyer/profile')
        .set(bearer(madrid.accessToken))
        .send({ ...PROFILE, ...bad })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(fieldsOf(res)).some((f) => f.startsWith(field))).toBe(true);
    });

    it('stores codes in their canonical case', async () => {
      // Its own lawyer: editing a profile sends it back for verification (out of the directory).
      const lawyer = await createMarketLawyer(t);
      const res = await request(t.server)
        .put('/api/lawyer/profile')
        .set(bearer(lawyer.accessToken))
        .send({ ...PROFILE, jurisdictions: ['us-ny', ' US-NJ '], languages: ['EN', 'es'] })
        .expect(200);
      expect(res.body.jurisdictions).toEqual(['US-NY', 'US-NJ']);
      expect(res.body.languages).toEqual(['en', 'es']);
    });
  });

  describe('no silent clamping: out-of-range values are refused with the allowed range', () => {
    it.each([
      ['a 5-minute duration', '/api/lawyer/offerings', { durationMinutes: 5 }, 'durationMinutes', 'between 15 and 240'],
      ['a 500-minute duration', '/api/lawyer/offerings', { durationMinutes: 500 }, 'durationMinutes', 'between 15 and 240'],
      ['a 121-character title', '/api/lawyer/offerings', { title: 'x'.repeat(121) }, 'title', 'at most 120 characters'],
      ['a price over the limit', '/api/lawyer/offerings', { priceMinor: 100_000_001 }, 'priceMinor', 'between 1 and 100000000'],
    ])('offering: %s', async (_label, path, bad, field, words) => {
      const body = { title: 'Initial consultation', durationMinutes: 60, priceMinor: 9000, currency: 'EUR', ...bad };
      const res = await request(t.server).post(path).set(bearer(madrid.accessToken)).send(body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(res)[field]?.join(' ')).toContain(words);
    });

    it.each([
      ['0 sessions a day', { maxSessionsPerDay: 0 }, 'maxSessionsPerDay', 'between 1 and 48'],
      ['a 300-minute buffer', { bufferBeforeMinutes: 300 }, 'bufferBeforeMinutes', 'between 0 and 240'],
    ])('availability: %s', async (_label, bad, field, words) => {
      const res = await request(t.server)
        .put('/api/lawyer/availability')
        .set(bearer(madrid.accessToken))
        .send({
          timeZone: 'Europe/Madrid',
          weekly: [],
          bufferBeforeMinutes: 0,
          bufferAfterMinutes: 0,
          minimumNoticeMinutes: 0,
          ...bad,
        })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(res)[field]?.join(' ')).toContain(words);
    });
  });

  describe('GET /api/lawyers/:id/free-times', () => {
    it('previews the next free times of an offering, in UTC with the lawyer’s zone, without signing in', async () => {
      const offering = madrid.offerings[0]!;
      const res = await request(t.server)
        .get(`/api/lawyers/${madrid.id}/free-times`)
        .query({ offeringId: offering.id, limit: 3 })
        .expect(200);
      expect(res.body).toMatchObject({
        lawyerId: madrid.id,
        offeringId: offering.id,
        durationMinutes: 60,
        timeZone: 'Europe/Madrid',
        hasMore: true,
      });
      expect(res.body.slots).toHaveLength(3);
      const starts = (res.body.slots as { startAt: string; endAt: string }[]).map((s) => Date.parse(s.startAt));
      expect([...starts].sort((a, b) => a - b)).toEqual(starts);
      expect(starts[0]).toBeGreaterThan(Date.now() - 60_000);
      for (const s of res.body.slots as { startAt: string; endAt: string }[]) {
        expect(Date.parse(s.endAt) - Date.parse(s.startAt)).toBe(60 * 60_000);
      }
      expect(Date.parse(res.body.until)).toBeLessThanOrEqual(Date.now() + 15 * 86_400_000);
      // The same as the slot picker's first slots.
      const slots = await request(t.server).get(`/api/lawyers/${madrid.id}/slots`).query({ offeringId: offering.id }).expect(200);
      expect(res.body.slots).toEqual(slots.body.slots.slice(0, 3));
    });

    it('is empty for a lawyer without availability, and bounded', async () => {
      const res = await request(t.server)
        .get(`/api/lawyers/${newYork.id}/free-times`)
        .query({ offeringId: newYork.offerings[0]!.id })
        .expect(200);
      expect(res.body).toMatchObject({ slots: [], hasMore: false, timeZone: null });
      await request(t.server)
        .get(`/api/lawyers/${madrid.id}/free-times`)
        .query({ offeringId: madrid.offerings[0]!.id, limit: 13 })
        .expect(400);
      await request(t.server)
        .get(`/api/lawyers/${madrid.id}/free-times`)
        .query({ offeringId: madrid.offerings[0]!.id, limit: 0 })
        .expect(400);
      await request(t.server).get(`/api/lawyers/${madrid.id}/free-times`).expect(400);
    });

    it('404s for an offering of another lawyer', async () => {
      const res = await request(t.server)
        .get(`/api/lawyers/${madrid.id}/free-times`)
        .query({ offeringId: newYork.offerings[0]!.id })
        .expect(404);
      expect(res.body.code).toBe('OFFERING_NOT_FOUND');
    });

    it('leaves out a taken time once the short cache expires', async () => {
      const lawyer = await createMarketLawyer(t, {
        availability: { timeZone: 'UTC', weekly: EVERY_DAY('00:00', '24:00') },
        offerings: [{ durationMinutes: 60 }],
      });
      const offeringId = lawyer.offerings[0]!.id;
      const first = await request(t.server)
        .get(`/api/lawyers/${lawyer.id}/free-times`)
        .query({ offeringId, limit: 1 })
        .expect(200);
      const taken = first.body.slots[0] as { startAt: string; endAt: string };
      await insertHeldSession(t, { lawyerId: lawyer.id, offering: lawyer.offerings[0]!, startAt: new Date(taken.startAt) });
      t.clock.advance(61_000);
      const later = await request(t.server)
        .get(`/api/lawyers/${lawyer.id}/free-times`)
        .query({ offeringId, limit: 12 })
        .expect(200);
      expect((later.body.slots as { startAt: string }[]).map((s) => s.startAt)).not.toContain(taken.startAt);
    });
  });
});
