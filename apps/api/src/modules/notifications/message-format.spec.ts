import { absoluteUrl, escapeHtml, formatAmount, formatInstant } from './message-format';
import { renderMessage } from './templates';

describe('message format', () => {
  const at = '2026-12-01T14:30:00.000Z';

  it('names the zone with every time, in the reader’s zone', () => {
    expect(formatInstant(at, { timeZone: 'America/New_York', locale: 'en' })).toBe(
      'Tue 1 Dec 2026, 09:30 EST (America/New_York)',
    );
    expect(formatInstant(at, { timeZone: 'Europe/Madrid', locale: 'en' })).toBe('Tue 1 Dec 2026, 15:30 GMT+1 (Europe/Madrid)');
    expect(formatInstant(at, { timeZone: 'UTC', locale: 'en' })).toBe('Tue 1 Dec 2026, 14:30 UTC');
  });

  it('uses the reader’s locale for names of days and months, and falls back to UTC (said) for an unknown zone', () => {
    expect(formatInstant(at, { timeZone: 'Europe/Madrid', locale: 'es' })).toMatch(
      /^mar 1 dic 2026, 15:30 GMT\+1 \(Europe\/Madrid\)$/,
    );
    expect(formatInstant(at, { timeZone: 'Mars/Olympus', locale: 'en' })).toBe('Tue 1 Dec 2026, 14:30 UTC');
  });

  it('formats money and escapes HTML', () => {
    expect(formatAmount(9000, 'EUR', { timeZone: 'UTC', locale: 'en' })).toBe('€90.00');
    expect(escapeHtml(`<a href="x">O'Brien & co</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;O&#39;Brien &amp; co&lt;/a&gt;');
    expect(absoluteUrl('http://localhost:4100/', '/sessions/1')).toBe('http://localhost:4100/sessions/1');
  });

  it('renders text and HTML with the same absolute link and no unescaped user text', () => {
    const m = renderMessage(
      'session.scheduled',
      {
        sessionId: 's-1',
        side: 'LAWYER',
        offeringTitle: '<script>x</script>',
        counterpartName: 'Eve',
        startAt: at,
        durationMinutes: 60,
        actor: 'counterpart',
      },
      { name: 'Ana & Bo', timeZone: 'America/New_York', locale: 'en' },
      'https://lex.example',
    );
    expect(m.subject).toBe('New booking: Eve on Tue 1 Dec 2026, 09:30 EST (America/New_York)');
    expect(m.text).toContain('View the session: https://lex.example/sessions/s-1');
    expect(m.html).toContain('<a href="https://lex.example/sessions/s-1">View the session</a>');
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(m.html).toContain('Hello Ana &amp; Bo,');
    expect(m.linkPath).toBe('/sessions/s-1');
  });

  it('renders payouts and statements for their payee, with the amount in the reader’s locale', () => {
    const reader = { name: 'Łukasz Żółć', timeZone: 'Europe/Warsaw', locale: 'en' };
    const paid = renderMessage(
      'payout.recorded',
      {
        payoutId: 'p-1',
        role: 'PARTNER',
        amountMinor: 12_345,
        currency: 'EUR',
        method: 'BANK_TRANSFER',
        reference: '<b>SEPA</b>',
        paidAt: at,
      },
      reader,
      'https://lex.example',
    );
    expect(paid.subject).toBe('Payout of €123.45 sent');
    expect(paid.text).toContain('by bank transfer on Tue 1 Dec 2026, 15:30 GMT+1 (Europe/Warsaw)');
    expect(paid.html).toContain('&lt;b&gt;SEPA&lt;/b&gt;');
    expect(paid.linkPath).toBe('/partner/reports');
    const reversed = renderMessage(
      'payout.reversed',
      { payoutId: 'p-1', role: 'LAWYER', amountMinor: 500, currency: 'USD', reason: 'Wrong IBAN' },
      reader,
      'https://lex.example',
    );
    expect(reversed.text).toContain('Reason: Wrong IBAN');
    expect(reversed.linkPath).toBe('/lawyer/earnings');
    const statement = renderMessage(
      'statement.issued',
      {
        statementId: 's-1',
        number: 'ST-202611-000001',
        role: 'LAWYER',
        periodStart: '2026-11-01',
        currency: 'EUR',
        closingMinor: 4200,
      },
      reader,
      'https://lex.example',
    );
    expect(statement.subject).toBe('Your statement for November 2026 (ST-202611-000001)');
    expect(statement.text).toContain('Closing balance owed to you: €42.00.');
    expect(statement.linkPath).toBe('/lawyer/earnings');
  });
  it('renders the contract messages with links to sign or download, and the executed copy’s fingerprint', () => {
    const reader = { name: 'Zofia', timeZone: 'Europe/Warsaw', locale: 'en' };
    const base = { contractId: 'c-1', number: 'C-2026-000001', title: 'Engagement <letter>', counterpartName: 'Jan Kowalski' };
    const requested = renderMessage('contract.sign_requested', { ...base, expiresAt: at }, reader, 'https://lex.example');
    expect(requested.subject).toBe('Please sign: Engagement <letter> (C-2026-000001)');
    expect(requested.text).toContain('by Tue 1 Dec 2026, 15:30 GMT+1 (Europe/Warsaw)');
    expect(requested.text).toContain('Read and sign: https://lex.example/contracts/c-1/sign');
    expect(requested.html).toContain('Engagement &lt;letter&gt;');
    const signed = renderMessage('contract.signed', base, reader, 'https://lex.example');
    expect(signed.subject).toBe('Jan Kowalski signed C-2026-000001');
    expect(signed.linkPath).toBe('/contracts/c-1/sign');
    const executed = renderMessage('contract.executed', { ...base, sha256: 'ab'.repeat(32) }, reader, 'https://lex.example');
    expect(executed.subject).toContain('your copy');
    expect(executed.text).toContain('ab'.repeat(32));
    expect(executed.linkPath).toBe('/contracts/c-1');
  });
});
