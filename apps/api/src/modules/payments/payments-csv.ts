import { minorUnitsToDecimal } from '@lm/domain';
import { stringify } from 'csv-stringify/sync';
import { defuse } from '../../common/csv/defuse';
import type { AdminPaymentRow } from './payments.repository';
import { paymentStatusOf } from './dto/admin-payment.response';

/** The export's columns, in order (the header row). Amounts are decimals in the payment's currency. */
export const PAYMENT_CSV_COLUMNS = [
  'payment_id',
  'created_at',
  'status',
  'currency',
  'amount',
  'refunded',
  'net',
  'session_id',
  'session_status',
  'consultation',
  'client',
  'client_email',
  'lawyer',
  'lawyer_email',
  'stripe_payment_intent',
] as const;

/**
 * RFC 4180 CSV of payments (header + rows, CRLF), quoting done by csv-stringify: commas, quotes
 * and line breaks inside a value are escaped correctly, which hand-rolled joins get wrong.
 */
export function paymentsCsv(rows: AdminPaymentRow[]): string {
  const records = rows.map((p) => [
    p.id,
    new Date(p.createdAt).toISOString(),
    paymentStatusOf(p),
    p.currency,
    minorUnitsToDecimal(p.amountMinor, p.currency),
    minorUnitsToDecimal(p.refundedMinor, p.currency),
    minorUnitsToDecimal(p.amountMinor - p.refundedMinor, p.currency),
    p.sessionId,
    p.sessionStatus,
    defuse(p.offeringTitle),
    defuse(p.clientName ?? ''),
    defuse(p.clientEmail ?? ''),
    defuse(p.lawyerName ?? ''),
    defuse(p.lawyerEmail ?? ''),
    p.stripePaymentIntentId ?? '',
  ]);
  return stringify([[...PAYMENT_CSV_COLUMNS], ...records], { record_delimiter: 'windows' });
}
