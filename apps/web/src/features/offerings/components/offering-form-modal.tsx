import { minorUnitsToDecimal } from '@lm/domain';
import { Alert, Button, Group, Modal, NumberInput, Select, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { useRef, useState, type FormEvent } from 'react';
import { describeError } from '../../../lib/errors';
import { errorSummary, fieldErrorsOf, useFocusFirstError, type FieldWords } from '../../../lib/field-errors';
import { CURRENCY_OPTIONS, parsePrice } from '../../../lib/money';
import { useCreateOffering, useUpdateOffering, type Offering } from '../offerings.queries';

// The API's limits (CreateOfferingDto): checked here first, never silently adjusted.
export const OFFERING_LIMITS = { minDuration: 15, maxDuration: 240, maxTitle: 120, maxDescription: 2000 } as const;
const { minDuration: MIN_DURATION, maxDuration: MAX_DURATION } = OFFERING_LIMITS;

const WORDS: Record<string, FieldWords> = {
  title: { blank: 'Enter a title' },
  durationMinutes: { noun: 'a duration', unit: 'minutes' },
  priceMinor: { noun: 'a price' },
};

/** The form's own checks, mirroring the API's rules, in words for people. */
export function validateOffering(input: { title: string; description: string; duration: number | string }): Record<string, string> {
  const errors: Record<string, string> = {};
  const title = input.title.trim();
  if (!title) errors.title = 'Enter a title';
  else if (title.length > OFFERING_LIMITS.maxTitle)
    errors.title = `Use at most ${OFFERING_LIMITS.maxTitle} characters (now ${title.length})`;
  if (input.description.trim().length > OFFERING_LIMITS.maxDescription)
    errors.description = `Use at most ${OFFERING_LIMITS.maxDescription} characters (now ${input.description.trim().length})`;
  const minutes = typeof input.duration === 'number' ? input.duration : input.duration.trim() === '' ? NaN : Number(input.duration);
  if (!Number.isInteger(minutes) || minutes < MIN_DURATION || minutes > MAX_DURATION) {
    errors.durationMinutes = `Enter a duration between ${MIN_DURATION} and ${MAX_DURATION} minutes`;
  }
  return errors;
}

interface OfferingFormModalProps {
  /** The offering to edit, or null to create one. */
  offering: Offering | null;
  opened: boolean;
  onClose: () => void;
  onSaved: (offering: Offering) => void;
}

/** Create or edit an offering. The price is typed in major units and sent as integer minor units. */
export function OfferingFormModal({ offering, opened, onClose, onSaved }: OfferingFormModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={offering ? 'Edit offering' : 'New offering'} centered size="lg">
      {/* Keyed so each opening starts from the offering's current values. */}
      {opened && <OfferingForm key={offering?.id ?? 'new'} offering={offering} onClose={onClose} onSaved={onSaved} />}
    </Modal>
  );
}

function OfferingForm({ offering, onClose, onSaved }: Omit<OfferingFormModalProps, 'opened'>) {
  const [title, setTitle] = useState(offering?.title ?? '');
  const [description, setDescription] = useState(offering?.description ?? '');
  const [duration, setDuration] = useState<number | string>(offering?.durationMinutes ?? 60);
  const [currency, setCurrency] = useState<string>(offering?.currency ?? 'EUR');
  const [price, setPrice] = useState(offering ? minorUnitsToDecimal(offering.priceMinor, offering.currency) : '');
  const [active, setActive] = useState(offering?.active ?? true);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const create = useCreateOffering();
  const update = useUpdateOffering();
  const mutation = offering ? update : create;
  const serverFields = fieldErrorsOf(mutation.error, WORDS);
  const fields = { ...serverFields, ...localErrors };
  const generalError = mutation.isError && Object.keys(serverFields).length === 0 ? describeError(mutation.error) : null;
  useFocusFirstError(formRef, fields, `${attempt}:${mutation.submittedAt}`);
  const summary = errorSummary(fields);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setAttempt((n) => n + 1);
    const errors = validateOffering({ title, description, duration });
    const minutes = Number(duration);
    const parsed = parsePrice(price, currency);
    if ('error' in parsed) errors.priceMinor = parsed.error;
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0 || 'error' in parsed) return;

    const body = {
      title: title.trim(),
      description: description.trim(),
      durationMinutes: minutes,
      priceMinor: parsed.minor,
      currency,
      active,
    };
    if (offering) update.mutate({ id: offering.id, body }, { onSuccess: onSaved });
    else create.mutate(body, { onSuccess: onSaved });
  };

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        {generalError && (
          <Alert color="red" role="alert" title={generalError.title}>
            {generalError.message}
          </Alert>
        )}
        <TextInput
          label="Title"
          placeholder="Initial consultation"
          required
          data-autofocus
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          error={fields.title}
        />
        <Textarea
          label="Description"
          placeholder="What the client gets, e.g. a first look at the case with written next steps."
          autosize
          minRows={3}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={fields.description}
        />
        <Group grow align="flex-start">
          <NumberInput
            label="Duration (minutes)"
            required
            min={MIN_DURATION}
            max={MAX_DURATION}
            step={15}
            allowDecimal={false}
            // Out-of-range values stay as typed and are explained, never silently changed.
            clampBehavior="none"
            value={duration}
            onChange={setDuration}
            error={fields.durationMinutes}
          />
          <TextInput
            label="Price"
            description={`In ${currency}, e.g. 90 or 89.50`}
            required
            inputMode="decimal"
            value={price}
            onChange={(e) => setPrice(e.currentTarget.value)}
            error={fields.priceMinor}
          />
          <Select
            label="Currency"
            required
            data={CURRENCY_OPTIONS}
            value={currency}
            onChange={(value) => value && setCurrency(value)}
            allowDeselect={false}
            searchable
            error={fields.currency}
          />
        </Group>
        <Switch
          label="Active (clients can book it)"
          checked={active}
          onChange={(e) => setActive(e.currentTarget.checked)}
        />
        {offering && (
          <Alert color="gray" variant="light">
            Changes apply to new bookings only: sessions already sold keep their price and duration.
          </Alert>
        )}
        <Group justify="flex-end">
          <Text size="sm" c="red.8" role="alert" aria-live="assertive" style={{ flex: 1 }}>
            {summary}
          </Text>
          <Button variant="default" onClick={onClose} disabled={mutation.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {offering ? 'Save offering' : 'Create offering'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
