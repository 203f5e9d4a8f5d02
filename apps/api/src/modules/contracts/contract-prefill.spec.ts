import { prefillValues, type PrefillSource } from './contract-prefill';

const source = (overrides: Partial<PrefillSource['lawyer']> = {}, startAt: Date | null = null): PrefillSource => ({
  session: { offeringTitle: 'Tenancy consultation', priceMinor: 25_000, currency: 'PLN', startAt },
  client: { name: 'Анна Петрова', email: 'anna@example.com' },
  lawyer: { name: 'Łukasz Żółć', email: 'lukasz@example.com', timeZone: 'Pacific/Auckland', jurisdictions: [], ...overrides },
  now: new Date('2026-03-02T12:00:00Z'),
});

describe('contract prefill', () => {
  it("dates the session and the contract in the lawyer's zone, even when that is another calendar day than UTC", () => {
    // 20:30 UTC on 2 March is 09:30 on 3 March in Auckland (NZDT, UTC+13); 12:00 UTC "now" is 01:00 on 3 March there.
    const values = prefillValues(source({}, new Date('2026-03-02T20:30:00Z')));
    expect(values.session_date).toMatch(/^3 March 2026\b.*09:30 \(Pacific\/Auckland\)$/);
    expect(values.effective_date).toBe('3 March 2026');
    expect(values).toMatchObject({
      client_name: 'Анна Петрова',
      lawyer_name: 'Łukasz Żółć',
      fee: '250.00 PLN',
      currency: 'PLN',
      scope: 'Tenancy consultation',
      jurisdiction: null,
    });
  });

  it('falls back to UTC for a lawyer without a (valid) zone, and leaves the date of an unbooked session empty', () => {
    const utc = prefillValues(source({ timeZone: null }, new Date('2026-03-02T20:30:00Z')));
    expect(utc.session_date).toMatch(/^2 March 2026\b.*20:30 \(UTC\)$/);
    expect(utc.effective_date).toBe('2 March 2026');
    expect(prefillValues(source({ timeZone: 'Mars/Olympus' })).effective_date).toBe('2 March 2026');
    expect(prefillValues(source()).session_date).toBeNull();
  });
});
