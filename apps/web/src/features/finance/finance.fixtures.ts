import type { LawyerEarnings, PartnerReport, Payout, PendingPayout, PendingPayoutPage, Statement } from './finance.types';

/** A page of a `?page=&pageSize=` list, as every paged endpoint answers. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Test data shaped like the API's answers (contract §B and §C). */
export const partnerReport = (over: Partial<PartnerReport> = {}): PartnerReport => ({
  zone: 'UTC',
  from: '2026-01-01',
  to: '2026-03-18',
  granularity: 'month',
  referrals: {
    totals: { clientsSignedUp: 5, lawyersSignedUp: 2, clientsConverted: 2, lawyersConverted: 1 },
    series: [],
  },
  funnel: {
    signedUp: 7,
    converted: 3,
    conversionRate: 3 / 7,
    byRole: { CLIENT: { signedUp: 5, converted: 2 }, LAWYER: { signedUp: 2, converted: 1 } },
  },
  currencies: [
    {
      currency: 'EUR',
      totals: {
        paidSessions: 4,
        grossVolumeMinor: 40_000,
        commissionAccruedMinor: 2_000,
        commissionReversedMinor: 500,
        paidOutMinor: 1_000,
        openingPendingMinor: 0,
        pendingMinor: 500,
      },
      series: [
        period('2026-01-01', '2026-01-31', 1, 10_000, 500, 0, 0, 500),
        period('2026-02-01', '2026-02-28', 3, 30_000, 1_500, 500, 1_000, 500),
        period('2026-03-01', '2026-03-18', 0, 0, 0, 0, 0, 500),
      ],
    },
  ],
  ...over,
});

function period(
  periodStart: string,
  periodEnd: string,
  paidSessions: number,
  grossVolumeMinor: number,
  commissionAccruedMinor: number,
  commissionReversedMinor: number,
  paidOutMinor: number,
  pendingMinor: number,
) {
  return {
    periodStart,
    periodEnd,
    paidSessions,
    grossVolumeMinor,
    commissionAccruedMinor,
    commissionReversedMinor,
    paidOutMinor,
    pendingMinor,
  };
}

export const lawyerEarnings = (over: Partial<LawyerEarnings> = {}): LawyerEarnings => ({
  zone: 'UTC',
  from: '2026-02-17',
  to: '2026-03-18',
  granularity: 'day',
  currencies: [
    {
      currency: 'USD',
      totals: {
        paidSessions: 3,
        grossVolumeMinor: 30_000,
        platformFeesMinor: 4_500,
        refundsCount: 1,
        refundedMinor: 10_000,
        payableAccruedMinor: 25_500,
        payableReversedMinor: 8_500,
        paidOutMinor: 10_000,
        openingPendingMinor: 1_000,
        pendingMinor: 8_000,
      },
      series: [
        {
          periodStart: '2026-03-18',
          periodEnd: '2026-03-18',
          paidSessions: 3,
          grossVolumeMinor: 30_000,
          platformFeesMinor: 4_500,
          refundsCount: 1,
          refundedMinor: 10_000,
          payableAccruedMinor: 25_500,
          payableReversedMinor: 8_500,
          paidOutMinor: 10_000,
          pendingMinor: 8_000,
        },
      ],
    },
  ],
  ...over,
});

export const payout = (over: Partial<Payout> = {}): Payout => ({
  id: '00000000-0000-4000-8000-0000000000a1',
  payeeId: '00000000-0000-4000-8000-0000000000p1',
  payeeName: 'Łukasz Żółć',
  role: 'PARTNER',
  currency: 'EUR',
  amountMinor: 1_000,
  method: 'BANK_TRANSFER',
  reference: 'SEPA-0001',
  paidAt: '2026-02-27T12:00:00.000Z',
  recordedAt: '2026-02-27T12:05:00.000Z',
  recordedBy: '00000000-0000-4000-8000-0000000000ad',
  recordedByName: 'Root Admin',
  reversal: null,
  ...over,
});

export const statement = (over: Partial<Statement> = {}): Statement => ({
  id: '00000000-0000-4000-8000-0000000000s1',
  number: 'ST-202602-000001',
  payeeId: '00000000-0000-4000-8000-0000000000p1',
  payeeName: 'Łukasz Żółć',
  payeeRole: 'PARTNER',
  account: 'partner_commission_payable',
  currency: 'EUR',
  periodStart: '2026-02-01',
  periodEnd: '2026-02-28',
  zone: 'UTC',
  openingMinor: 500,
  closingMinor: 500,
  lineCount: 4,
  csvSha256: 'a'.repeat(64),
  pdfSha256: 'b'.repeat(64),
  csvBytes: 512,
  pdfBytes: 20_480,
  issuedBy: null,
  issuedAt: '2026-03-01T01:00:00.000Z',
  supersedesId: null,
  reissueReason: null,
  superseded: false,
  supersededById: null,
  ...over,
});

export const pendingPayout = (over: Partial<PendingPayout> = {}): PendingPayout => ({
  payeeId: '00000000-0000-4000-8000-0000000000p1',
  payeeName: 'Łukasz Żółć',
  payeeEmail: 'lukasz@example.com',
  role: 'PARTNER',
  currency: 'EUR',
  owedMinor: 12_050,
  lastActivityDay: '2026-03-10',
  ...over,
});

export const page = <T>(items: T[], total = items.length): Page<T> => ({ items, total, page: 1, pageSize: 20 });

export const pendingPage = (items: PendingPayout[], minimumMinor = 1_000): PendingPayoutPage => ({
  ...page(items),
  minimumMinor,
});
