/**
 * The finance module's reads as plain SQL with pure row → response mappings, no Nest or TypeORM
 * dependency (like reviews.queries.ts): the reports service runs them, and the benchmark's bare
 * baseline imports the very same statements (`partnerReportStatements`, `PENDING_PAYOUTS_SQL`).
 *
 * They read only read views of other modules: the ledger's `party_ledger_daily` (one row per
 * party, account, currency and local day, maintained in the posting transaction) and
 * `payee_balances` (its sums per payee), the partners' `referral_funnel`, and identity's
 * `user_directory`. A report therefore reads O(days) rows whatever the number of ledger entries:
 * the days of the range are bucketed into periods with `generate_series`, and the balance owed
 * before the range is one aggregate over earlier days of the same index range.
 *
 * Dates leave PostgreSQL as text ('YYYY-MM-DD') and amounts as float8 (exact for every safe
 * integer), so the node-postgres pool and TypeORM's driver return the same JavaScript values.
 */

export type Granularity = 'day' | 'week' | 'month';
export const GRANULARITIES: readonly Granularity[] = ['day', 'week', 'month'];

export type PayableAccount = 'lawyer_payable' | 'partner_commission_payable';
export type PayeeRole = 'LAWYER' | 'PARTNER';

export const ACCOUNT_OF_ROLE: Record<PayeeRole, PayableAccount> = {
  LAWYER: 'lawyer_payable',
  PARTNER: 'partner_commission_payable',
};

export interface Statement {
  text: string;
  values: unknown[];
}

/** What a report is about: one party, a closed range of local dates and the size of its periods. */
export interface ReportInput {
  partyId: string;
  /** IANA zone the periods are in (the party's own). */
  zone: string;
  /** 'YYYY-MM-DD', inclusive. */
  from: string;
  /** 'YYYY-MM-DD', inclusive. */
  to: string;
  granularity: Granularity;
}

/** `$1` user id → the user's time zone (no row for an unknown user). */
export const USER_ZONE_SQL = `SELECT time_zone AS "timeZone" FROM user_directory WHERE id = $1`;

/**
 * The periods of [$from, $to] at $granularity (weeks start on Monday, ISO), each clipped to the
 * range: `periods(period_start, period_end)`. `$from`, `$to` are dates, `$g` the granularity.
 */
const periods = (from: string, to: string, g: string) => `
  periods AS (
    SELECT greatest(s::date, ${from}::date) AS period_start,
           least((s + ('1 ' || ${g})::interval)::date - 1, ${to}::date) AS period_end
      FROM generate_series(date_trunc(${g}, ${from}::date::timestamp), ${to}::date::timestamp, ('1 ' || ${g})::interval) AS s
  )`;

/**
 * One party account's figures per currency and period: `$1` party id, `$2` account, `$3` from,
 * `$4` to, `$5` granularity. One row per (currency, period) for every currency with activity up
 * to `$4` (empty periods as zeros), ordered by currency and period. `owedMinor` is what is owed
 * to the party at the end of the period (cumulative from the first posting); `openingOwedMinor`
 * what was owed at the start of the range. `paidOutMinor` is net of payout reversals.
 */
export const PARTY_REPORT_SQL = `
WITH ${periods('$3', '$4', '$5')},
  earlier AS (
    SELECT currency, sum(net_minor) AS net
      FROM party_ledger_daily
     WHERE party_id = $1 AND account = $2 AND day < $3::date
     GROUP BY currency
  ),
  buckets AS (
    SELECT currency,
           greatest(date_trunc($5, day::timestamp)::date, $3::date) AS period_start,
           sum(payments_count) AS payments_count,
           sum(gross_minor) AS gross_minor,
           sum(accrued_minor) AS accrued_minor,
           sum(refunds_count) AS refunds_count,
           sum(refunded_gross_minor) AS refunded_gross_minor,
           sum(reversed_minor) AS reversed_minor,
           sum(paid_out_minor - payouts_reversed_minor) AS paid_out_minor,
           sum(net_minor) AS net_minor
      FROM party_ledger_daily
     WHERE party_id = $1 AND account = $2 AND day >= $3::date AND day <= $4::date
     GROUP BY 1, 2
  ),
  currencies AS (SELECT currency FROM earlier UNION SELECT currency FROM buckets)
SELECT c.currency,
       p.period_start::text AS "periodStart",
       p.period_end::text AS "periodEnd",
       coalesce(b.payments_count, 0)::float8 AS "paymentsCount",
       coalesce(b.gross_minor, 0)::float8 AS "grossMinor",
       coalesce(b.accrued_minor, 0)::float8 AS "accruedMinor",
       coalesce(b.refunds_count, 0)::float8 AS "refundsCount",
       coalesce(b.refunded_gross_minor, 0)::float8 AS "refundedGrossMinor",
       coalesce(b.reversed_minor, 0)::float8 AS "reversedMinor",
       coalesce(b.paid_out_minor, 0)::float8 AS "paidOutMinor",
       (-coalesce(e.net, 0))::float8 AS "openingOwedMinor",
       (-(coalesce(e.net, 0) + sum(coalesce(b.net_minor, 0)) OVER (PARTITION BY c.currency ORDER BY p.period_start)))::float8 AS "owedMinor"
  FROM currencies c
 CROSS JOIN periods p
  LEFT JOIN buckets b ON b.currency = c.currency AND b.period_start = p.period_start
  LEFT JOIN earlier e ON e.currency = c.currency
 ORDER BY c.currency, p.period_start`;

export interface PartyPeriodRow {
  currency: string;
  periodStart: string;
  periodEnd: string;
  paymentsCount: number;
  grossMinor: number;
  accruedMinor: number;
  refundsCount: number;
  refundedGrossMinor: number;
  reversedMinor: number;
  paidOutMinor: number;
  openingOwedMinor: number;
  owedMinor: number;
}

/**
 * A partner's referrals per period: `$1` partner id, `$2` from, `$3` to, `$4` granularity, `$5`
 * zone. Sign-ups counted in the period of their local date, conversions (first paid session) in
 * the period of theirs; referred partners are not counted (they never convert). One row per period.
 */
export const REFERRAL_SERIES_SQL = `
WITH ${periods('$2', '$3', '$4')},
  bounds AS (
    SELECT ($2::date::timestamp AT TIME ZONE $5) AS lo, (($3::date + 1)::timestamp AT TIME ZONE $5) AS hi
  ),
  events AS (
    SELECT f.role, true AS signed_up, (f.signed_up_at AT TIME ZONE $5)::date AS day
      FROM referral_funnel f, bounds b
     WHERE f.partner_id = $1 AND f.role IN ('CLIENT', 'LAWYER') AND f.signed_up_at >= b.lo AND f.signed_up_at < b.hi
    UNION ALL
    SELECT f.role, false, (f.converted_at AT TIME ZONE $5)::date
      FROM referral_funnel f, bounds b
     WHERE f.partner_id = $1 AND f.role IN ('CLIENT', 'LAWYER') AND f.converted_at >= b.lo AND f.converted_at < b.hi
  ),
  buckets AS (
    SELECT greatest(date_trunc($4, day::timestamp)::date, $2::date) AS period_start,
           count(*) FILTER (WHERE signed_up AND role = 'CLIENT') AS clients_signed_up,
           count(*) FILTER (WHERE signed_up AND role = 'LAWYER') AS lawyers_signed_up,
           count(*) FILTER (WHERE NOT signed_up AND role = 'CLIENT') AS clients_converted,
           count(*) FILTER (WHERE NOT signed_up AND role = 'LAWYER') AS lawyers_converted
      FROM events
     GROUP BY 1
  )
SELECT p.period_start::text AS "periodStart",
       p.period_end::text AS "periodEnd",
       coalesce(b.clients_signed_up, 0)::int AS "clientsSignedUp",
       coalesce(b.lawyers_signed_up, 0)::int AS "lawyersSignedUp",
       coalesce(b.clients_converted, 0)::int AS "clientsConverted",
       coalesce(b.lawyers_converted, 0)::int AS "lawyersConverted"
  FROM periods p
  LEFT JOIN buckets b ON b.period_start = p.period_start
 ORDER BY p.period_start`;

export interface ReferralPeriodRow {
  periodStart: string;
  periodEnd: string;
  clientsSignedUp: number;
  lawyersSignedUp: number;
  clientsConverted: number;
  lawyersConverted: number;
}

/**
 * The referral funnel of a range: `$1` partner id, `$2` from, `$3` to, `$4` zone. The cohort is
 * the clients and lawyers who signed up in the range (local dates); converted = those of them
 * whose first paid session came by the end of `$3`. One row per role present.
 */
export const REFERRAL_FUNNEL_SQL = `
WITH bounds AS (
  SELECT ($2::date::timestamp AT TIME ZONE $4) AS lo, (($3::date + 1)::timestamp AT TIME ZONE $4) AS hi
)
SELECT f.role,
       count(*)::int AS "signedUp",
       count(*) FILTER (WHERE f.converted_at < b.hi)::int AS converted
  FROM referral_funnel f, bounds b
 WHERE f.partner_id = $1 AND f.role IN ('CLIENT', 'LAWYER') AND f.signed_up_at >= b.lo AND f.signed_up_at < b.hi
 GROUP BY f.role`;

export interface FunnelRow {
  role: 'CLIENT' | 'LAWYER';
  signedUp: number;
  converted: number;
}

/** The three statements of a partner report, in the order `toPartnerReport` takes their rows. */
export function partnerReportStatements(r: ReportInput): [Statement, Statement, Statement] {
  return [
    { text: PARTY_REPORT_SQL, values: [r.partyId, ACCOUNT_OF_ROLE.PARTNER, r.from, r.to, r.granularity] },
    { text: REFERRAL_SERIES_SQL, values: [r.partyId, r.from, r.to, r.granularity, r.zone] },
    { text: REFERRAL_FUNNEL_SQL, values: [r.partyId, r.from, r.to, r.zone] },
  ];
}

/** The one statement of a lawyer's earnings. */
export function lawyerEarningsStatement(r: ReportInput): Statement {
  return { text: PARTY_REPORT_SQL, values: [r.partyId, ACCOUNT_OF_ROLE.LAWYER, r.from, r.to, r.granularity] };
}

// ——— partner report ———

export interface PartnerMoneyFigures {
  paidSessions: number;
  grossVolumeMinor: number;
  commissionAccruedMinor: number;
  commissionReversedMinor: number;
  paidOutMinor: number;
}

export interface PartnerMoneyPeriod extends PartnerMoneyFigures {
  periodStart: string;
  periodEnd: string;
  /** Commission owed to the partner at the end of the period. */
  pendingMinor: number;
}

export interface PartnerMoneyTotals extends PartnerMoneyFigures {
  /** Owed at the start of `from`. */
  openingPendingMinor: number;
  /** Owed at the end of `to`. */
  pendingMinor: number;
}

export interface ReferralCounts {
  clientsSignedUp: number;
  lawyersSignedUp: number;
  clientsConverted: number;
  lawyersConverted: number;
}

export interface PartnerReport {
  zone: string;
  from: string;
  to: string;
  granularity: Granularity;
  referrals: { totals: ReferralCounts; series: (ReferralCounts & { periodStart: string; periodEnd: string })[] };
  funnel: {
    signedUp: number;
    converted: number;
    /** converted / signedUp (0 without sign-ups), rounded to 4 decimals. */
    conversionRate: number;
    byRole: { CLIENT: { signedUp: number; converted: number }; LAWYER: { signedUp: number; converted: number } };
  };
  currencies: { currency: string; totals: PartnerMoneyTotals; series: PartnerMoneyPeriod[] }[];
}

export function toPartnerReport(
  r: Omit<ReportInput, 'partyId'>,
  ledgerRows: PartyPeriodRow[],
  referralRows: ReferralPeriodRow[],
  funnelRows: FunnelRow[],
): PartnerReport {
  const series = referralRows.map((p) => ({
    periodStart: p.periodStart,
    periodEnd: p.periodEnd,
    clientsSignedUp: p.clientsSignedUp,
    lawyersSignedUp: p.lawyersSignedUp,
    clientsConverted: p.clientsConverted,
    lawyersConverted: p.lawyersConverted,
  }));
  const totals: ReferralCounts = {
    clientsSignedUp: sum(series, (p) => p.clientsSignedUp),
    lawyersSignedUp: sum(series, (p) => p.lawyersSignedUp),
    clientsConverted: sum(series, (p) => p.clientsConverted),
    lawyersConverted: sum(series, (p) => p.lawyersConverted),
  };
  const byRole = {
    CLIENT: funnelOf(funnelRows, 'CLIENT'),
    LAWYER: funnelOf(funnelRows, 'LAWYER'),
  };
  const signedUp = byRole.CLIENT.signedUp + byRole.LAWYER.signedUp;
  const converted = byRole.CLIENT.converted + byRole.LAWYER.converted;
  return {
    zone: r.zone,
    from: r.from,
    to: r.to,
    granularity: r.granularity,
    referrals: { totals, series },
    funnel: {
      signedUp,
      converted,
      conversionRate: signedUp === 0 ? 0 : Math.round((converted / signedUp) * 10_000) / 10_000,
      byRole,
    },
    currencies: byCurrency(ledgerRows).map(([currency, rows]) => {
      const periods: PartnerMoneyPeriod[] = rows.map((p) => ({
        periodStart: p.periodStart,
        periodEnd: p.periodEnd,
        paidSessions: p.paymentsCount,
        grossVolumeMinor: p.grossMinor,
        commissionAccruedMinor: p.accruedMinor,
        commissionReversedMinor: p.reversedMinor,
        paidOutMinor: p.paidOutMinor,
        pendingMinor: p.owedMinor,
      }));
      return {
        currency,
        totals: {
          paidSessions: sum(periods, (p) => p.paidSessions),
          grossVolumeMinor: sum(periods, (p) => p.grossVolumeMinor),
          commissionAccruedMinor: sum(periods, (p) => p.commissionAccruedMinor),
          commissionReversedMinor: sum(periods, (p) => p.commissionReversedMinor),
          paidOutMinor: sum(periods, (p) => p.paidOutMinor),
          openingPendingMinor: rows[0]!.openingOwedMinor,
          pendingMinor: rows[rows.length - 1]!.owedMinor,
        },
        series: periods,
      };
    }),
  };
}

// ——— lawyer earnings ———

export interface LawyerMoneyFigures {
  paidSessions: number;
  grossVolumeMinor: number;
  /** What the platform kept of the gross: gross − payable accrued (its fee, partner commissions included). */
  platformFeesMinor: number;
  refundsCount: number;
  /** Refunded to clients (gross). */
  refundedMinor: number;
  payableAccruedMinor: number;
  /** The lawyer's share taken back by refunds. */
  payableReversedMinor: number;
  paidOutMinor: number;
}

export interface LawyerMoneyPeriod extends LawyerMoneyFigures {
  periodStart: string;
  periodEnd: string;
  pendingMinor: number;
}

export interface LawyerMoneyTotals extends LawyerMoneyFigures {
  openingPendingMinor: number;
  pendingMinor: number;
}

export interface LawyerEarnings {
  zone: string;
  from: string;
  to: string;
  granularity: Granularity;
  currencies: { currency: string; totals: LawyerMoneyTotals; series: LawyerMoneyPeriod[] }[];
}

export function toLawyerEarnings(r: Omit<ReportInput, 'partyId'>, ledgerRows: PartyPeriodRow[]): LawyerEarnings {
  return {
    zone: r.zone,
    from: r.from,
    to: r.to,
    granularity: r.granularity,
    currencies: byCurrency(ledgerRows).map(([currency, rows]) => {
      const periods: LawyerMoneyPeriod[] = rows.map((p) => ({
        periodStart: p.periodStart,
        periodEnd: p.periodEnd,
        paidSessions: p.paymentsCount,
        grossVolumeMinor: p.grossMinor,
        platformFeesMinor: p.grossMinor - p.accruedMinor,
        refundsCount: p.refundsCount,
        refundedMinor: p.refundedGrossMinor,
        payableAccruedMinor: p.accruedMinor,
        payableReversedMinor: p.reversedMinor,
        paidOutMinor: p.paidOutMinor,
        pendingMinor: p.owedMinor,
      }));
      return {
        currency,
        totals: {
          paidSessions: sum(periods, (p) => p.paidSessions),
          grossVolumeMinor: sum(periods, (p) => p.grossVolumeMinor),
          platformFeesMinor: sum(periods, (p) => p.platformFeesMinor),
          refundsCount: sum(periods, (p) => p.refundsCount),
          refundedMinor: sum(periods, (p) => p.refundedMinor),
          payableAccruedMinor: sum(periods, (p) => p.payableAccruedMinor),
          payableReversedMinor: sum(periods, (p) => p.payableReversedMinor),
          paidOutMinor: sum(periods, (p) => p.paidOutMinor),
          openingPendingMinor: rows[0]!.openingOwedMinor,
          pendingMinor: rows[rows.length - 1]!.owedMinor,
        },
        series: periods,
      };
    }),
  };
}

// ——— pending payouts ———

/**
 * Payees owed at least `$1` (minor units, and always more than 0), optionally of one currency
 * `$2` and one account `$3` (text or null), most owed first; `$4` page size (null: all), `$5`
 * offset. Always one row at least: `total` (matches across all pages) with null payee columns
 * when the page is empty.
 */
export const PENDING_PAYOUTS_SQL = `
WITH owed AS MATERIALIZED (
  SELECT b.payee_id, b.account, b.currency, b.owed_minor, b.last_day
    FROM payee_balances b
   WHERE b.owed_minor >= greatest($1::bigint, 1)
     AND ($2::text IS NULL OR b.currency = $2::text)
     AND ($3::text IS NULL OR b.account = $3::text)
)
SELECT (SELECT count(*) FROM owed)::int AS total, page.*
  FROM (SELECT 1) AS one
  LEFT JOIN LATERAL (
    SELECT o.payee_id AS "payeeId", u.display_name AS "payeeName", u.email::text AS "payeeEmail",
           CASE o.account WHEN 'lawyer_payable' THEN 'LAWYER' ELSE 'PARTNER' END AS role,
           o.currency, o.owed_minor::float8 AS "owedMinor", o.last_day::text AS "lastActivityDay"
      FROM owed o
      JOIN user_directory u ON u.id = o.payee_id
     ORDER BY o.owed_minor DESC, u.display_name, o.payee_id, o.currency
     LIMIT $4::int OFFSET $5::int
  ) AS page ON true`;

export interface PendingPayoutRow {
  total: number;
  payeeId: string | null;
  payeeName: string | null;
  payeeEmail: string | null;
  role: PayeeRole | null;
  currency: string | null;
  owedMinor: number | null;
  lastActivityDay: string | null;
}

export interface PendingPayoutFilter {
  minimumMinor: number;
  currency?: string;
  role?: PayeeRole;
}

export interface PendingPayout {
  payeeId: string;
  payeeName: string;
  payeeEmail: string;
  role: PayeeRole;
  currency: string;
  owedMinor: number;
  lastActivityDay: string;
}

/** `PENDING_PAYOUTS_SQL` for a page (`page` 1-based), or every row when `page` is null. */
export function pendingPayoutsStatement(f: PendingPayoutFilter, page: { page: number; pageSize: number } | null): Statement {
  return {
    text: PENDING_PAYOUTS_SQL,
    values: [
      f.minimumMinor,
      f.currency ?? null,
      f.role ? ACCOUNT_OF_ROLE[f.role] : null,
      page ? page.pageSize : null,
      page ? (page.page - 1) * page.pageSize : 0,
    ],
  };
}

export function toPendingPayouts(rows: PendingPayoutRow[]): { items: PendingPayout[]; total: number } {
  const items = rows
    .filter((r) => r.payeeId !== null)
    .map((r) => ({
      payeeId: r.payeeId!,
      payeeName: r.payeeName ?? '',
      payeeEmail: r.payeeEmail ?? '',
      role: r.role!,
      currency: r.currency!,
      owedMinor: r.owedMinor!,
      lastActivityDay: r.lastActivityDay!,
    }));
  return { items, total: rows[0]?.total ?? 0 };
}

// ——— helpers ———

function sum<T>(xs: readonly T[], f: (x: T) => number): number {
  return xs.reduce((s, x) => s + f(x), 0);
}

function funnelOf(rows: FunnelRow[], role: 'CLIENT' | 'LAWYER'): { signedUp: number; converted: number } {
  const row = rows.find((r) => r.role === role);
  return { signedUp: row?.signedUp ?? 0, converted: row?.converted ?? 0 };
}

/** Rows (ordered by currency, then period) grouped per currency, in order. */
function byCurrency(rows: PartyPeriodRow[]): [string, PartyPeriodRow[]][] {
  const groups = new Map<string, PartyPeriodRow[]>();
  for (const row of rows) {
    const group = groups.get(row.currency);
    if (group) group.push(row);
    else groups.set(row.currency, [row]);
  }
  return [...groups];
}
