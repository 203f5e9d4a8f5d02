import type { PayeeRole, PayoutMethod } from './finance.types';

export const PAYOUT_METHODS = ['BANK_TRANSFER', 'PAYPAL', 'WISE', 'CHECK', 'OTHER'] as const satisfies readonly PayoutMethod[];

export const METHOD_LABELS: Record<PayoutMethod, string> = {
  BANK_TRANSFER: 'Bank transfer',
  PAYPAL: 'PayPal',
  WISE: 'Wise',
  CHECK: 'Check',
  OTHER: 'Other',
};

export const PAYEE_ROLES = ['PARTNER', 'LAWYER'] as const satisfies readonly PayeeRole[];

export const ROLE_LABELS: Record<PayeeRole, string> = { PARTNER: 'Partner', LAWYER: 'Lawyer' };

export const isPayoutMethod = (value: string | null): value is PayoutMethod =>
  value !== null && (PAYOUT_METHODS as readonly string[]).includes(value);
