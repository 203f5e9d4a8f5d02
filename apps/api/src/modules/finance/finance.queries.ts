/**
 * The finance module's reads as plain SQL with pure row → response mappings, no Nest or TypeORM
 * dependency (like reviews.queries.ts): the reports service runs them, and the benchmark's bare
 * baseline imports the very same statements (`partnerReportStatements`, `PENDING_PAYOUTS_SQL`).
 *
 * They read only read views of other modules: the ledger's `party_ledger_daily` (one row per
 * party, account, currency and local day, maintained in the posting transaction) and
 * `payee_balances` (one row per party, account and currency: the running balance, maintained in
 * the same transaction), the partners' `referral_funnel` (per referral) and
 * `referral_conversion_events` (per conversion), and identity's `user_directory`. The cost of
 * each statement is therefore bounded by what it shows, never by the number of ledger entries:
 * - a report reads the days of its range (one index range of the rollup), the party's running
 *   balance and the days after the range (the balance owed before the range is the running
 *   balance minus those), and buckets the days into periods from `generate_series` over period
 *   numbers (an integer series, so the planner knows how many periods there are);
 * - a partner's referrals are index ranges: sign-ups by (partner, signed up), conversions by
 *   (partner, converted) for the series and by (partner, signed up) for the funnel's cohort;
 * - the pending payouts page reads the running balances in the order of the amount owed (an
 *   index) down to the page's last row, and looks up the names of those rows only.
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
 * The periods are numbered 0…n by an integer `generate_series` whose bounds fold to constants
 * when the statement is planned with its values, so PostgreSQL estimates their number exactly
 * (a timestamp series is always guessed at 1,000 rows, and the guess multiplied by the other
 * inputs' once made the plan look expensive enough to be JIT-compiled, 70 ms per report).
 */
const periods = (from: string, to: string, g: string) => `
  periods AS (
    SELECT greatest(s.start::date, ${from}::date) AS period_start,
           least((s.start + ('1 ' || ${g})::interval)::date - 1, ${to}::date) AS period_end
      FROM (SELECT date_trunc(${g}, ${from}::date::timestamp) + i * ('1 ' || ${g})::interval AS start
              FROM generate_series(0, CASE ${g}
                     WHEN 'day' THEN ${to}::date - ${from}::date
                     WHEN 'week' THEN (${to}::date - ${from}::date + extract(isodow FROM ${from}::date)::int - 1) / 7
                     ELSE (extract(year FROM ${to}::date)::int - extract(year FROM ${from}::date)::int) * 12
                          + extract(month FROM ${to}::date)::int - extract(month FROM ${from}::date)::int
                   END) AS i) AS s
  )`;

/**
 * One party account's figures per currency and period: `$1` party id, `$2` account, `$3` from,
 * `$4` to, `$5` granularity. One row per (currency, period) for every currency with activity up
 * to `$4` (empty periods as zeros), ordered by currency and period. `owedMinor` is what is owed
 * to the party at the end of the period (cumulative from the first posting); `openingOwedMinor`
 * what was owed at the start of the range: the running balance (`payee_balances`) less the
 * days from `$3` on, so the days before the range are never read. `paidOutMinor` is net of
 * payout reversals. The currencies come from the running balances and each one's days are an
 * index range on the whole key (party, account, currency, day). One statement, one snapshot:
 * the balance and the days agree.
 */
export const PARTY_REPORT_SQL = `
WITH ${periods('$3', '$4', '$5')},
  currencies AS MATERIALIZED (
    SELECT b.currency, -b.owed_minor AS net_now
      FROM payee_balances b
     WHERE b.payee_id = $1 AND b.account = $2 AND b.first_day <= $4::date
  ),
  buckets AS MATERIALIZED (
    SELECT c.currency, p.period_start, s.*
      FROM currencies c
     CROSS JOIN periods p
     CROSS JOIN LATERAL (
        SELECT sum(d.payments_count) AS payments_count,
               sum(d.gross_minor) AS gross_minor,
               sum(d.accrued_minor) AS accrued_minor,
               sum(d.refunds_count) AS refunds_count,
               sum(d.refunded_gross_minor) AS refunded_gross_minor,
               sum(d.reversed_minor) AS reversed_minor,
               sum(d.paid_out_minor - d.payouts_reversed_minor) AS paid_out_minor,
               sum(d.net_minor) AS net_minor
          FROM party_ledger_daily d
         WHERE d.party_id = $1 AND d.account = $2 AND d.currency = c.currency
           AND d.day >= p.period_start AND d.day <= p.period_end
     ) AS s
  ),
  opening AS MATERIALIZED (
    SELECT c.currency,
           c.net_now
             - coalesce((SELECT sum(k.net_minor) FROM buckets k WHERE k.currency = c.currency), 0)
             - coalesce((SELECT sum(d.net_minor) FROM party_ledger_daily d
                          WHERE d.party_id = $1 AND d.account = $2 AND d.currency = c.currency AND d.day > $4::date), 0)
             AS net
      FROM currencies c
  )
SELECT o.currency,
       p.period_start::text AS "periodStart",
       p.period_end::text AS "periodEnd",
       coalesce(b.payments_count, 0)::float8 AS "paymentsCount",
       coalesce(b.gross_minor, 0)::float8 AS "grossMinor",
       coalesce(b.accrued_minor, 0)::float8 AS "accruedMinor",
       coalesce(b.refunds_count, 0)::float8 AS "refundsCount",
       coalesce(b.refunded_gross_minor, 0)::float8 AS "refundedGrossMinor",
       coalesce(b.reversed_minor, 0)::float8 AS "reversedMinor",
       coalesce(b.paid_out_minor, 0)::float8 AS "paidOutMinor",
       (-o.net)::float8 AS "openingOwedMinor",
       (-(o.net + sum(coalesce(b.net_minor, 0)) OVER (PARTITION BY o.currency ORDER BY p.period_start)))::float8 AS "owedMinor"
  FROM opening o
 CROSS JOIN periods p
  LEFT JOIN buckets b ON b.currency = o.currency AND b.period_start = p.period_start
 ORDER BY o.currency, p.period_start`;

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

/** The start (inclusive) and end (exclusive) instants of the local dates `from`…`to` in `zone` (SQL expressions). */
const lo = (from: string, zone: string) => `(${from}::date::timestamp AT TIME ZONE ${zone})`;
const hi = (to: string, zone: string) => `((${to}::date + 1)::timestamp AT TIME ZONE ${zone})`;

/**
 * A partner's referrals per period: `$1` partner id, `$2` from, `$3` to, `$4` granularity, `$5`
 * zone. Sign-ups counted in the period of their local date, conversions (first paid session) in
 * the period of theirs; referred partners are not counted (they never convert). One row per period.
 * Each period is turned once into its instants [start, end) in the zone, and its events are
 * counted in two index ranges: sign-ups by (partner, signed up) — `referral_funnel` without its
 * conversion columns, so its join to the conversions drops out — and conversions by (partner,
 * converted) in `referral_conversion_events` (index-only), so no event is converted to a local
 * date or grouped one by one.
 */
export const REFERRAL_SERIES_SQL = `
WITH ${periods('$2', '$3', '$4')},
  spans AS (
    SELECT period_start, period_end,
           (period_start::timestamp AT TIME ZONE $5) AS lo, ((period_end + 1)::timestamp AT TIME ZONE $5) AS hi
      FROM periods
  )
SELECT p.period_start::text AS "periodStart",
       p.period_end::text AS "periodEnd",
       s.clients::int AS "clientsSignedUp",
       s.lawyers::int AS "lawyersSignedUp",
       c.clients::int AS "clientsConverted",
       c.lawyers::int AS "lawyersConverted"
  FROM spans p
 CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE f.role = 'CLIENT') AS clients, count(*) FILTER (WHERE f.role = 'LAWYER') AS lawyers
      FROM referral_funnel f
     WHERE f.partner_id = $1 AND f.signed_up_at >= p.lo AND f.signed_up_at < p.hi
  ) AS s
 CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE e.role = 'CLIENT') AS clients, count(*) FILTER (WHERE e.role = 'LAWYER') AS lawyers
      FROM referral_conversion_events e
     WHERE e.partner_id = $1 AND e.converted_at >= p.lo AND e.converted_at < p.hi
  ) AS c
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
 * whose first paid session came by the end of `$3`. One row per role present. Two index ranges
 * by (partner, signed up), no join: the referrals of the cohort, and the conversions of the
 * cohort (each conversion carries its referral's sign-up time).
 */
export const REFERRAL_FUNNEL_SQL = `
WITH cohort AS (
  SELECT count(*) FILTER (WHERE f.role = 'CLIENT') AS clients, count(*) FILTER (WHERE f.role = 'LAWYER') AS lawyers
    FROM referral_funnel f
   WHERE f.partner_id = $1 AND f.signed_up_at >= ${lo('$2', '$4')} AND f.signed_up_at < ${hi('$3', '$4')}
),
converted AS (
  SELECT count(*) FILTER (WHERE e.role = 'CLIENT') AS clients, count(*) FILTER (WHERE e.role = 'LAWYER') AS lawyers
    FROM referral_conversion_events e
   WHERE e.partner_id = $1 AND e.signed_up_at >= ${lo('$2', '$4')} AND e.signed_up_at < ${hi('$3', '$4')}
     AND e.converted_at < ${hi('$3', '$4')}
)
SELECT r.role, r.signed_up::int AS "signedUp", r.converted::int AS converted
  FROM cohort c, converted v,
       LATERAL (VALUES ('CLIENT', c.clients, v.clients), ('LAWYER', c.lawyers, v.lawyers)) AS r(role, signed_up, converted)
 WHERE r.signed_up > 0`;

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
    currencies: byCurrency(ledgerRows).map(([currency, rows]) =>
      currencyReport(currency, rows, (p) => ({
        periodStart: p.periodStart,
        periodEnd: p.periodEnd,
        paidSessions: p.paymentsCount,
        grossVolumeMinor: p.grossMinor,
        commissionAccruedMinor: p.accruedMinor,
        commissionReversedMinor: p.reversedMinor,
        paidOutMinor: p.paidOutMinor,
        pendingMinor: p.owedMinor,
      })),
    ),
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
    currencies: byCurrency(ledgerRows).map(([currency, rows]) =>
      currencyReport(currency, rows, (p) => ({
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
      })),
    ),
  };
}

// ——— pending payouts ———

/**
 * Payees owed at least `$1` (minor units, and always more than 0), optionally of one currency
 * `$2` and one account `$3` (text or null), most owed first (then by name, id, currency); `$4`
 * page size (null: all), `$5` offset. Always one row at least: `total` (matches across all
 * pages) with null payee columns when the page is empty.
 *
 * `payee_balances` is one row per payee, account and currency, indexed by the amount owed: the
 * total counts those rows; `cut` walks the index down to the page's last row (`$5 + $4` rows) and
 * takes its amount; the page is then the rows owed at least that much (the page and its ties),
 * and only those get their name from `user_directory` (one key lookup each) before the exact
 * order by name is applied.
 */
export const PENDING_PAYOUTS_SQL = `
WITH owed AS NOT MATERIALIZED (
  SELECT b.payee_id, b.account, b.currency, b.owed_minor, b.last_day
    FROM payee_balances b
   WHERE b.owed_minor >= greatest($1::bigint, 1)
     AND ($2::text IS NULL OR b.currency = $2::text)
     AND ($3::text IS NULL OR b.account = $3::text)
),
cut AS (
  SELECT o.owed_minor
    FROM owed o
   ORDER BY o.owed_minor DESC
  OFFSET greatest($5::int + $4::int - 1, 0)
   LIMIT CASE WHEN $4::int IS NULL THEN 0 ELSE 1 END
)
SELECT (SELECT count(*) FROM owed)::int AS total, page.*
  FROM (SELECT 1) AS one
  LEFT JOIN LATERAL (
    SELECT o.payee_id AS "payeeId", u.display_name AS "payeeName", u.email::text AS "payeeEmail",
           CASE o.account WHEN 'lawyer_payable' THEN 'LAWYER' ELSE 'PARTNER' END AS role,
           o.currency, o.owed_minor::float8 AS "owedMinor", o.last_day::text AS "lastActivityDay"
      FROM owed o
     CROSS JOIN LATERAL (SELECT d.display_name, d.email FROM user_directory d WHERE d.id = o.payee_id LIMIT 1) AS u
     WHERE o.owed_minor >= coalesce((SELECT c.owed_minor FROM cut c), greatest($1::bigint, 1))
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

/**
 * One currency of a report: its periods, and totals that sum every figure of the periods except
 * the balance, which is owed at the start of the first period and at the end of the last.
 */
function currencyReport<P extends { periodStart: string; periodEnd: string; pendingMinor: number }>(
  currency: string,
  rows: PartyPeriodRow[],
  toPeriod: (row: PartyPeriodRow) => P,
) {
  const series = rows.map(toPeriod);
  const totals: Record<string, number> = {};
  for (const key of Object.keys(series[0]!) as (keyof P & string)[]) {
    if (key === 'periodStart' || key === 'periodEnd' || key === 'pendingMinor') continue;
    totals[key] = sum(series, (p) => p[key] as number);
  }
  return {
    currency,
    totals: {
      ...(totals as Omit<P, 'periodStart' | 'periodEnd' | 'pendingMinor'>),
      openingPendingMinor: rows[0]!.openingOwedMinor,
      pendingMinor: rows[rows.length - 1]!.owedMinor,
    },
    series,
  };
}

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
