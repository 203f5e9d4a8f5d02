/** pg-boss queues of the payments module. */
export const REFUND_QUEUE = 'payments.refund';
export const CHECKOUT_EXPIRE_QUEUE = 'payments.checkout-expire';
export const CHECKOUT_EXPIRY_SWEEP_QUEUE = 'payments.checkout-expiry-sweep';
export const RECONCILE_QUEUE = 'payments.reconcile';

/** Attempts of a Stripe call made by a job before it gives up (pg-boss retries with backoff in between). */
export const STRIPE_JOB_ATTEMPTS = 6;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** pg-boss hands jobs to workers started with includeMetadata: true with these fields. */
export interface JobAttempt {
  retryCount?: number;
  retryLimit?: number;
}

export const isFinalAttempt = (job: JobAttempt): boolean => (job.retryCount ?? 0) >= (job.retryLimit ?? 0);
