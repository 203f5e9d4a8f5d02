import { minorUnitsToDecimal } from '@lm/domain';
import { Alert, Button, Group, Modal, NumberInput, Select, Stack, Switch, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { describeError } from '../../../lib/errors';
import { fieldErrorsOf } from '../../../lib/field-errors';
import { CURRENCY_OPTIONS, parsePrice } from '../../../lib/money';
import { useCreateOffering, useUpdateOffering, type Offering } from '../offerings.queries';

const MIN_DURATION = 15;
const MAX_DURATION = 240;

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
  const create = useCreateOffering();
  const update = useUpdateOffering();
  const mutation = offering ? update : create;
  const fields = { ...fieldErrorsOf(mutation.error), ...localErrors };
  const generalError = mutation.isError && Object.keys(fieldErrorsOf(mutation.error)).length === 0 ? describeError(mutation.error) : null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (!title.trim()) errors.title = 'Enter a title';
    const minutes = typeof duration === 'number' ? duration : Number(duration);
    if (!Number.isInteger(minutes) || minutes < MIN_DURATION || minutes > MAX_DURATION) {
      errors.durationMinutes = `Between ${MIN_DURATION} and ${MAX_DURATION} minutes`;
    }
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
    <form onSubmit={onSubmit} noValidate>
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
          maxLength={120}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          error={fields.title}
        />
        <Textarea
          label="Description"
          placeholder="What the client gets, e.g. a first look at the case with written next steps."
          maxLength={2000}
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
