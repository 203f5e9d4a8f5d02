import { formatMoney, minorUnitsToDecimal, toMinorUnits } from '@lm/domain';
import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { DateTime } from 'luxon';
import { useState, type FormEvent } from 'react';
import { isDay } from '../../../lib/date-range';
import { formatLocalDate, todayIn } from '../../../lib/time';
import { useTimeZone } from '../../auth/use-time-zone';
import { isPayoutMethod, METHOD_LABELS, PAYOUT_METHODS, ROLE_LABELS } from '../finance-labels';
import { useRecordPayout } from '../finance.queries';
import type { PayoutMethod, PendingPayout, RecordPayoutBody } from '../finance.types';
import { describePayoutError } from '../payout-errors';

export const REFERENCE_MAX = 140;

export interface PayoutDraft {
  amount: string;
  method: PayoutMethod;
  reference: string;
  /** YYYY-MM-DD in the admin's zone. */
  paidOn: string;
}

type DraftErrors = Partial<Record<keyof PayoutDraft, string>>;

/**
 * The draft as the API's body, or what is wrong with it. Amounts are typed in major units
 * ("120.50") and never rounded; at most `owedMinor`. The day becomes an instant: now for today,
 * otherwise noon of that day in `zone` (the same calendar day in nearby zones).
 */
export function validatePayoutDraft(
  draft: PayoutDraft,
  ctx: { payeeId: string; currency: string; owedMinor: number; zone: string; locale: string; now: DateTime },
): { body: RecordPayoutBody } | { errors: DraftErrors } {
  const errors: DraftErrors = {};
  let amountMinor = 0;
  const amount = draft.amount.trim().replace(/\s/g, '').replace(',', '.');
  if (!amount) errors.amount = 'Enter the amount paid';
  else if (!/^\d+(\.\d+)?$/.test(amount)) errors.amount = 'Enter a number, e.g. 120.50';
  else {
    try {
      amountMinor = toMinorUnits(amount, ctx.currency);
      if (amountMinor <= 0) errors.amount = 'The amount must be more than zero';
      else if (amountMinor > ctx.owedMinor) {
        errors.amount = `Enter at most ${formatMoney(ctx.owedMinor, ctx.currency, ctx.locale)}, what is owed`;
      }
    } catch {
      errors.amount = `${ctx.currency} amounts have fewer decimal places`;
    }
  }
  const reference = draft.reference.trim();
  if (!reference) errors.reference = 'Enter the transfer’s reference';
  else if (reference.length > REFERENCE_MAX)
    errors.reference = `Use at most ${REFERENCE_MAX} characters (now ${reference.length})`;
  const today = ctx.now.setZone(ctx.zone).toISODate()!;
  if (!draft.paidOn) errors.paidOn = 'Enter the day it was paid';
  else if (!isDay(draft.paidOn)) errors.paidOn = 'Enter a day such as 2026-03-01';
  else if (draft.paidOn > today) errors.paidOn = 'The payment cannot be in the future';
  if (Object.keys(errors).length > 0) return { errors };

  const noon = DateTime.fromISO(draft.paidOn, { zone: ctx.zone }).set({ hour: 12 });
  const paidAt = draft.paidOn === today && noon > ctx.now ? ctx.now : noon;
  return {
    body: {
      payeeId: ctx.payeeId,
      currency: ctx.currency,
      amountMinor,
      method: draft.method,
      reference,
      paidAt: paidAt.toUTC().toISO({ suppressMilliseconds: true })!,
    },
  };
}

/**
 * "Record payout" for one pending row: the amount (prefilled with what is owed), how and when it
 * was paid and the reference; then a confirmation with the formatted amount and the payee before
 * anything is posted. One Idempotency-Key per opening, so a retry never pays twice.
 */
export function RecordPayoutModal({ payee, onClose }: { payee: PendingPayout | null; onClose: () => void }) {
  return (
    <Modal
      opened={payee !== null}
      onClose={onClose}
      title={payee ? `Record a payout to ${payee.payeeName}` : ''}
      centered
      size="lg"
    >
      {payee && <RecordPayoutForm payee={payee} onClose={onClose} />}
    </Modal>
  );
}

function RecordPayoutForm({ payee, onClose }: { payee: PendingPayout; onClose: () => void }) {
  const { zone, locale } = useTimeZone();
  const record = useRecordPayout();
  // Generated once per opening of the dialog (this form mounts with it) and sent with every attempt.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  // "Now" as of the opening too: a payout dated today is stamped with it, so the same opening
  // always sends the same body (a retry after a lost answer is replayed, not refused as a reuse).
  const [openedAt] = useState(() => DateTime.now());
  const [draft, setDraft] = useState<PayoutDraft>(() => ({
    amount: minorUnitsToDecimal(payee.owedMinor, payee.currency),
    method: 'BANK_TRANSFER',
    reference: '',
    paidOn: todayIn(zone),
  }));
  const [checked, setChecked] = useState(false);
  const [confirming, setConfirming] = useState<RecordPayoutBody | null>(null);

  // What is owed as far as we know: the list's figure until the API says otherwise (PAYOUT_EXCEEDS_OWED).
  const [owedMinor, setOwedMinor] = useState(payee.owedMinor);
  const problem = record.error
    ? describePayoutError(record.error, { payeeName: payee.payeeName, currency: payee.currency, locale })
    : null;
  const money = (minor: number) => formatMoney(minor, payee.currency, locale);
  const result = validatePayoutDraft(draft, {
    payeeId: payee.payeeId,
    currency: payee.currency,
    owedMinor,
    zone,
    locale,
    now: openedAt,
  });
  const errors = checked && 'errors' in result ? result.errors : {};
  const edit = (patch: Partial<PayoutDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const review = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if ('body' in result) {
      record.reset();
      setConfirming(result.body);
    }
  };

  const confirm = (body: RecordPayoutBody) =>
    record.mutate(
      { body, idempotencyKey },
      {
        onError: (error) => {
          const owedNow = describePayoutError(error, { payeeName: payee.payeeName, currency: payee.currency, locale }).owedMinor;
          if (owedNow !== undefined) setOwedMinor(owedNow);
        },
        onSuccess: ({ replayed }) => {
          notifications.show({
            color: 'green',
            title: 'Payout recorded',
            message: replayed
              ? `${money(body.amountMinor)} to ${payee.payeeName} had already been recorded; nothing was posted twice.`
              : `${money(body.amountMinor)} to ${payee.payeeName}. They get an email about it.`,
          });
          onClose();
        },
      },
    );

  if (confirming) {
    return (
      <Stack gap="md">
        <Text>
          Record a payout of{' '}
          <Text span fw={700}>
            {money(confirming.amountMinor)}
          </Text>{' '}
          to{' '}
          <Text span fw={700}>
            {payee.payeeName}
          </Text>{' '}
          ({ROLE_LABELS[payee.role].toLowerCase()}, {payee.payeeEmail})?
        </Text>
        <Text size="sm">
          {METHOD_LABELS[confirming.method]}, reference “{confirming.reference}”, paid on {formatLocalDate(draft.paidOn, locale)}.
          {confirming.amountMinor < owedMinor && ` ${money(owedMinor - confirming.amountMinor)} stays owed.`}
        </Text>
        <Text size="sm" c="gray.7">
          This posts to the ledger and emails the payee. A mistake can only be corrected by reversing the payout.
        </Text>
        {problem && (
          <Alert color="red" role="alert" title="Not recorded">
            {problem.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setConfirming(null)} disabled={record.isPending} data-autofocus>
            Back
          </Button>
          <Button onClick={() => confirm(confirming)} loading={record.isPending}>
            Confirm payout
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <form onSubmit={review} noValidate>
      <Stack gap="md">
        <Text size="sm">
          {payee.payeeName} ({ROLE_LABELS[payee.role].toLowerCase()}, {payee.payeeEmail}) is owed{' '}
          <Text span fw={700}>
            {money(owedMinor)}
          </Text>
          . Record a payout after the money has been sent.
        </Text>
        {problem && (
          <Alert color="red" role="alert" title="Not recorded">
            {problem.message}
          </Alert>
        )}
        <TextInput
          label={`Amount (${payee.currency})`}
          description={`At most ${money(owedMinor)}`}
          inputMode="decimal"
          value={draft.amount}
          onChange={(e) => edit({ amount: e.currentTarget.value })}
          error={errors.amount}
          required
          data-autofocus
        />
        <Select
          label="Method"
          data={PAYOUT_METHODS.map((value) => ({ value, label: METHOD_LABELS[value] }))}
          value={draft.method}
          onChange={(value) => isPayoutMethod(value) && edit({ method: value })}
          allowDeselect={false}
          required
        />
        <TextInput
          label="Reference"
          description="The bank’s or provider’s reference of the transfer"
          value={draft.reference}
          maxLength={REFERENCE_MAX + 20}
          onChange={(e) => edit({ reference: e.currentTarget.value })}
          error={errors.reference}
          required
        />
        <TextInput
          label="Paid on"
          type="date"
          max={todayIn(zone)}
          value={draft.paidOn}
          onChange={(e) => edit({ paidOn: e.currentTarget.value })}
          error={errors.paidOn}
          description={`A day in ${zone}`}
          required
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit">Review payout</Button>
        </Group>
      </Stack>
    </form>
  );
}
