import {
  pendingPayoutsStatement,
  toLawyerEarnings,
  toPartnerReport,
  toPendingPayouts,
  type PartyPeriodRow,
} from './finance.queries';

const row = (currency: string, periodStart: string, periodEnd: string, f: Partial<PartyPeriodRow>): PartyPeriodRow => ({
  currency,
  periodStart,
  periodEnd,
  paymentsCount: 0,
  grossMinor: 0,
  accruedMinor: 0,
  refundsCount: 0,
  refundedGrossMinor: 0,
  reversedMinor: 0,
  paidOutMinor: 0,
  openingOwedMinor: 0,
  owedMinor: 0,
  ...f,
});

const range = { zone: 'Europe/Warsaw', from: '2026-01-01', to: '2026-02-15', granularity: 'month' as const };

describe('report mappings', () => {
  const ledger = [
    row('EUR', '2026-01-01', '2026-01-31', {
      paymentsCount: 2,
      grossMinor: 20_000,
      accruedMinor: 600,
      openingOwedMinor: 100,
      owedMinor: 700,
    }),
    row('EUR', '2026-02-01', '2026-02-15', {
      refundsCount: 1,
      refundedGrossMinor: 5000,
      reversedMinor: 150,
      paidOutMinor: 500,
      openingOwedMinor: 100,
      owedMinor: 50,
    }),
    row('USD', '2026-01-01', '2026-01-31', { paymentsCount: 1, grossMinor: 9000, accruedMinor: 270, owedMinor: 270 }),
    row('USD', '2026-02-01', '2026-02-15', { owedMinor: 270 }),
  ];

  it('partner report: totals are the series summed, pending runs from the opening to the last period', () => {
    const report = toPartnerReport(
      range,
      ledger,
      [
        {
          periodStart: '2026-01-01',
          periodEnd: '2026-01-31',
          clientsSignedUp: 3,
          lawyersSignedUp: 1,
          clientsConverted: 1,
          lawyersConverted: 0,
        },
        {
          periodStart: '2026-02-01',
          periodEnd: '2026-02-15',
          clientsSignedUp: 0,
          lawyersSignedUp: 0,
          clientsConverted: 1,
          lawyersConverted: 1,
        },
      ],
      [
        { role: 'CLIENT', signedUp: 3, converted: 2 },
        { role: 'LAWYER', signedUp: 1, converted: 1 },
      ],
    );
    expect(report.referrals.totals).toEqual({ clientsSignedUp: 3, lawyersSignedUp: 1, clientsConverted: 2, lawyersConverted: 1 });
    expect(report.funnel).toEqual({
      signedUp: 4,
      converted: 3,
      conversionRate: 0.75,
      byRole: { CLIENT: { signedUp: 3, converted: 2 }, LAWYER: { signedUp: 1, converted: 1 } },
    });
    expect(report.currencies.map((c) => c.currency)).toEqual(['EUR', 'USD']);
    expect(report.currencies[0]!.totals).toEqual({
      paidSessions: 2,
      grossVolumeMinor: 20_000,
      commissionAccruedMinor: 600,
      commissionReversedMinor: 150,
      paidOutMinor: 500,
      openingPendingMinor: 100,
      pendingMinor: 50,
    });
    expect(report.currencies[0]!.series[1]).toEqual({
      periodStart: '2026-02-01',
      periodEnd: '2026-02-15',
      paidSessions: 0,
      grossVolumeMinor: 0,
      commissionAccruedMinor: 0,
      commissionReversedMinor: 150,
      paidOutMinor: 500,
      pendingMinor: 50,
    });
  });

  it('an empty funnel has a conversion rate of 0, and no currency without activity', () => {
    const report = toPartnerReport(range, [], [], []);
    expect(report.funnel).toEqual({
      signedUp: 0,
      converted: 0,
      conversionRate: 0,
      byRole: { CLIENT: { signedUp: 0, converted: 0 }, LAWYER: { signedUp: 0, converted: 0 } },
    });
    expect(report.currencies).toEqual([]);
  });

  it('lawyer earnings: the platform’s fees are gross minus what the lawyer accrued', () => {
    const earnings = toLawyerEarnings(range, ledger);
    expect(earnings.currencies[0]!.totals).toEqual({
      paidSessions: 2,
      grossVolumeMinor: 20_000,
      platformFeesMinor: 19_400,
      refundsCount: 1,
      refundedMinor: 5000,
      payableAccruedMinor: 600,
      payableReversedMinor: 150,
      paidOutMinor: 500,
      openingPendingMinor: 100,
      pendingMinor: 50,
    });
  });

  it('pending payouts: an empty page still carries the total; a role filters by its payable account', () => {
    expect(
      toPendingPayouts([
        {
          total: 7,
          payeeId: null,
          payeeName: null,
          payeeEmail: null,
          role: null,
          currency: null,
          owedMinor: null,
          lastActivityDay: null,
        },
      ]),
    ).toEqual({
      items: [],
      total: 7,
    });
    expect(pendingPayoutsStatement({ minimumMinor: 1000, role: 'PARTNER' }, { page: 3, pageSize: 20 }).values).toEqual([
      1000,
      null,
      'partner_commission_payable',
      20,
      40,
    ]);
    expect(pendingPayoutsStatement({ minimumMinor: 0, currency: 'EUR' }, null).values).toEqual([0, 'EUR', null, null, 0]);
  });
});
