import { ApiError } from '@lm/api-client';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@lm/domain';
import { Alert, Button, Checkbox, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { fieldErrorsOf } from '../../../lib/field-errors';
import { checkWebhookUrl, describeWebhookError, EVENT_TYPE_HINTS, URL_ERROR_CODES } from '../webhook-words';

export interface EndpointFormValues {
  url: string;
  description: string;
  eventTypes: WebhookEventType[];
}

/**
 * The URL, a description and the event types of an endpoint (creating one, or editing it). The
 * URL is checked here first; the server's verdict on it (private address, unknown host) shows
 * under the field too, other errors above the buttons.
 */
export function EndpointForm({
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  initial?: EndpointFormValues;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: EndpointFormValues) => void;
  onCancel: () => void;
}) {
  const [url, setUrl] = useState(initial?.url ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [eventTypes, setEventTypes] = useState<WebhookEventType[]>(initial?.eventTypes ?? []);
  const [urlProblem, setUrlProblem] = useState<string | null>(null);
  const [typesProblem, setTypesProblem] = useState<string | null>(null);

  const fields = fieldErrorsOf(error, { description: { noun: 'a description' } });
  const serverUrlProblem =
    error instanceof ApiError && URL_ERROR_CODES.has(error.code) ? describeWebhookError(error).message : fields.url;
  const otherError = error && !serverUrlProblem && !fields.description && !fields.eventTypes ? describeWebhookError(error) : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = checkWebhookUrl(url);
    const noTypes = eventTypes.length === 0 ? 'Choose at least one event type.' : null;
    setUrlProblem(problem);
    setTypesProblem(noTypes);
    if (problem || noTypes) return;
    onSubmit({ url: url.trim(), description: description.trim(), eventTypes });
  };

  return (
    <form onSubmit={submit} noValidate aria-label={submitLabel}>
      <Stack gap="md">
        <TextInput
          label="Endpoint URL"
          description="Where we POST each event, e.g. https://example.com/hooks/lexmarket."
          required
          type="url"
          inputMode="url"
          autoComplete="off"
          data-autofocus
          value={url}
          onChange={(e) => {
            setUrl(e.currentTarget.value);
            setUrlProblem(null);
          }}
          error={urlProblem ?? serverUrlProblem}
        />
        <TextInput
          label="Description (optional)"
          description="A note for yourself, e.g. CRM sync."
          maxLength={200}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={fields.description}
        />
        <Checkbox.Group
          label="Event types"
          description="The events this endpoint receives."
          required
          value={eventTypes}
          onChange={(value) => {
            setEventTypes(value as WebhookEventType[]);
            setTypesProblem(null);
          }}
          error={typesProblem ?? fields.eventTypes}
        >
          <SimpleGrid cols={{ base: 1, xs: 2 }} mt="xs" spacing="xs">
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <Checkbox
                key={type}
                value={type}
                label={
                  <Text size="sm" ff="monospace" span>
                    {type}
                  </Text>
                }
                description={EVENT_TYPE_HINTS[type]}
              />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        {otherError && (
          <Alert color="red" role="alert" title={otherError.title}>
            {otherError.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
