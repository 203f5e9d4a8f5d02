import { ApiError } from '@lm/api-client';
import { Alert, Anchor, Button, Container, Grid, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { NotFoundPage } from '../../app/not-found-page';
import { paths } from '../../app/paths';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { useFocusFirstError } from '../../lib/field-errors';
import { sessionQueryOptions } from '../sessions/sessions.queries';
import { ContractDocument } from './components/contract-document';
import { ContractValuesForm, VALUE_MAX, blankNames, previewValues } from './components/contract-values-form';
import { DocumentPreview } from './components/document-preview';
import { describeContractError, isContractError, namesOf } from './contract-errors';
import { contractSessionEligible } from './contract-labels';
import {
  contractQueryOptions,
  prefillQueryOptions,
  templateQueryOptions,
  templatesQueryOptions,
  useCreateContract,
  useSaveDraft,
} from './contracts.queries';
import type { ContractDetail, PrefillVariable, TemplateDetail, TemplateVariable } from './contracts.types';
import { declareVariable } from './template-variables';
import { contractQueryFallback } from './components/contract-query-state';

export const TITLE_MAX = 200;

/**
 * Lawyer: a new contract for a paid session (`/contracts/new?sessionId=`): choose a template, check
 * the values filled in from the session and profiles, watch the preview, save the draft.
 */
export function NewContractPage() {
  const [params] = useSearchParams();
  const sessionId = params.get('sessionId') ?? '';
  const session = useQuery({ ...sessionQueryOptions(sessionId), enabled: sessionId !== '' });
  const templates = useQuery(templatesQueryOptions({ page: 1, pageSize: 100 }));
  const [templateId, setTemplateId] = useState<string | null>(null);

  if (!sessionId) {
    return (
      <Container size="md" py="xl">
        <EmptyState title="Choose a session first">
          A contract belongs to a paid session with a client. Open the session from your{' '}
          <Anchor component={Link} to={paths.lawyer.dashboard}>
            dashboard
          </Anchor>{' '}
          and choose “Create contract”.
        </EmptyState>
      </Container>
    );
  }
  if (session.isPending || templates.isPending) return <LoadingState label="Loading the session and your templates" />;
  if (session.isError) {
    if (session.error instanceof ApiError && (session.error.status === 404 || session.error.status === 400))
      return <NotFoundPage />;
    return (
      <Container size="md" py="xl">
        <ErrorState error={session.error} onRetry={() => void session.refetch()} />
      </Container>
    );
  }
  if (templates.isError) {
    return (
      <Container size="md" py="xl">
        <ErrorState error={templates.error} onRetry={() => void templates.refetch()} />
      </Container>
    );
  }
  const s = session.data;
  const usable = templates.data.items.filter((t) => !t.archived);
  const options = [
    { group: 'Your templates', items: usable.filter((t) => t.owner === 'OWN').map((t) => ({ value: t.id, label: t.name })) },
    {
      group: 'LexMarket templates',
      items: usable.filter((t) => t.owner === 'PLATFORM').map((t) => ({ value: t.id, label: t.name })),
    },
  ].filter((g) => g.items.length > 0);
  const chosen = usable.find((t) => t.id === templateId);

  return (
    <Container size="xl" py="xl">
      <Stack gap="lg">
        <Anchor component={Link} to={paths.session(s.id)} size="sm">
          Back to the session
        </Anchor>
        <PageHeader title="Create contract" description={`For ${s.offeringTitle} with ${s.counterpart.displayName}`} />
        {!contractSessionEligible(s.status) && (
          <Alert color="orange" title="This session is not paid">
            A contract can be created only for a paid session.
          </Alert>
        )}
        <Paper withBorder p="lg" radius="md">
          <Stack gap="xs">
            <Select
              label="Template"
              placeholder="Choose a template"
              data={options}
              value={templateId}
              onChange={setTemplateId}
              searchable
              nothingFoundMessage="No template with that name"
              allowDeselect={false}
              maw={520}
            />
            {chosen?.description && (
              <Text size="sm" c="gray.7">
                {chosen.description}
              </Text>
            )}
            <Text size="sm" c="gray.7">
              Write your own in{' '}
              <Anchor component={Link} to={paths.lawyer.contractTemplates} size="sm">
                Templates
              </Anchor>
              .
            </Text>
          </Stack>
        </Paper>
        {templateId && <TemplateForm key={templateId} sessionId={s.id} templateId={templateId} />}
      </Stack>
    </Container>
  );
}

/** The chosen template's body and the prefilled values, then the form. */
function TemplateForm({ sessionId, templateId }: { sessionId: string; templateId: string }) {
  const template = useQuery(templateQueryOptions(templateId));
  const prefill = useQuery(prefillQueryOptions(sessionId, templateId));
  if (template.isPending || prefill.isPending) return <LoadingState label="Filling in the template" />;
  if (template.isError) return <ErrorState error={template.error} onRetry={() => void template.refetch()} />;
  if (prefill.isError) {
    return (
      <Alert color="red" role="alert">
        {describeContractError(prefill.error)}
      </Alert>
    );
  }
  return <CreateForm sessionId={sessionId} template={template.data} prefill={prefill.data.variables} />;
}

function CreateForm({
  sessionId,
  template,
  prefill,
}: {
  sessionId: string;
  template: TemplateDetail;
  prefill: PrefillVariable[];
}) {
  const navigate = useNavigate();
  const create = useCreateContract();
  const initial = useMemo(() => Object.fromEntries(prefill.map((v) => [v.name, v.value ?? ''])), [prefill]);
  const prefilled = useMemo(
    () => new Set(prefill.filter((v) => v.value !== null && v.value !== '').map((v) => v.name)),
    [prefill],
  );
  // The declared variables only (name, label, hint): the prefilled value is not part of a declaration.
  const variables: TemplateVariable[] = useMemo(
    () =>
      (prefill.length ? prefill : template.version.variables).map(({ name, label, hint }) =>
        hint ? { name, label, hint } : { name, label },
      ),
    [prefill, template],
  );
  return (
    <ContractEditor
      title={template.name}
      values={initial}
      variables={variables}
      prefilled={prefilled}
      body={template.version.body}
      saveLabel="Save draft"
      pending={create.isPending}
      error={create.error}
      onSave={({ title, values }) =>
        create.mutate(
          { sessionId, templateId: template.id, title, values },
          {
            onSuccess: (contract) => {
              notifications.show({ color: 'green', title: 'Draft saved', message: `${contract.number}, version 1.` });
              navigate(paths.contract(contract.id));
            },
          },
        )
      }
    />
  );
}

/** Lawyer: a draft's values changed and saved as a new version (`/contracts/:id/edit`). */
export function EditContractPage() {
  const { id = '' } = useParams();
  const contract = useQuery(contractQueryOptions(id));
  const fallback = contractQueryFallback(contract, 'Loading the draft');
  if (fallback || !contract.data) return fallback;
  const c = contract.data;
  return (
    <Container size="xl" py="xl">
      <Stack gap="lg">
        <Anchor component={Link} to={paths.contract(c.id)} size="sm">
          Back to the contract
        </Anchor>
        <PageHeader
          title={`Edit draft: ${c.title}`}
          description={`${c.number} · saving makes version ${c.currentVersion.number + 1}`}
        />
        {c.allowedActions.edit ? (
          <EditForm key={c.currentVersion.id} contract={c} />
        ) : (
          <Alert color="gray" title="This contract cannot be edited" role="status">
            Only a draft can change; this one has been sent for signature or closed.
          </Alert>
        )}
      </Stack>
    </Container>
  );
}

function EditForm({ contract: c }: { contract: ContractDetail }) {
  const navigate = useNavigate();
  const save = useSaveDraft();
  // The contract does not say which template it came from, so its values' names stand in for labels
  // and the preview is the saved version (each save shows the new one).
  const variables: TemplateVariable[] = Object.keys(c.currentVersion.variables).map((name) => declareVariable(name));
  return (
    <ContractEditor
      title={c.title}
      values={c.currentVersion.variables}
      variables={variables}
      prefilled={new Set()}
      body={null}
      savedBlocksNote="The preview shows the saved version; save to see your changes."
      currentBlocks={c.currentVersion.blocks}
      saveLabel="Save new version"
      pending={save.isPending}
      error={save.error}
      onSave={({ title, values }) =>
        save.mutate(
          { id: c.id, title, values },
          {
            onSuccess: (after) => {
              notifications.show({ color: 'green', title: 'Draft saved', message: `Version ${after.currentVersion.number}.` });
              navigate(paths.contract(c.id));
            },
          },
        )
      }
    />
  );
}

/** Title, the values and the live preview, side by side on a wide screen; the save button and its errors. */
function ContractEditor(props: {
  title: string;
  values: Record<string, string>;
  variables: TemplateVariable[];
  prefilled: ReadonlySet<string>;
  /** The template body for the live preview; null when it is not available. */
  body: string | null;
  savedBlocksNote?: string | null;
  currentBlocks?: ContractDetail['currentVersion']['blocks'];
  saveLabel: string;
  pending: boolean;
  error: unknown;
  onSave: (input: { title: string; values: Record<string, string> }) => void;
}) {
  const { variables, body, pending, error } = props;
  const formRef = useRef<HTMLDivElement>(null);
  const [title, setTitle] = useState(props.title);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(variables.map((v) => [v.name, props.values[v.name] ?? ''])),
  );
  const [attempt, setAttempt] = useState(0);

  const blank = blankNames(variables, values);
  const serverMissing = isContractError(error, 'CONTRACT_VARIABLES_MISSING') ? namesOf(error) : [];
  const errors: Record<string, string> = {};
  if (attempt > 0) for (const name of blank) errors[name] = 'Fill this in';
  for (const name of serverMissing) if (!(values[name] ?? '').trim()) errors[name] = 'Fill this in';
  const titleError =
    attempt > 0 && !title.trim()
      ? 'Give the contract a title'
      : title.length > TITLE_MAX
        ? `Use at most ${TITLE_MAX} characters`
        : undefined;
  if (titleError) errors.title = titleError;
  useFocusFirstError(formRef, errors, attempt);

  const previewInput = useMemo(
    () => (body === null ? null : { body, variables, values: previewValues(variables, values) }),
    [body, variables, values],
  );

  const submit = () => {
    setAttempt((n) => n + 1);
    const tooLong = variables.some((v) => (values[v.name] ?? '').length > VALUE_MAX);
    if (blank.length || !title.trim() || title.length > TITLE_MAX || tooLong) return;
    props.onSave({ title: title.trim(), values: Object.fromEntries(variables.map((v) => [v.name, values[v.name] ?? ''])) });
  };

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="values-heading" ref={formRef}>
          <Stack gap="md">
            <Title order={2} fz="lg" id="values-heading">
              Details
            </Title>
            <TextInput
              label="Title"
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              error={errors.title}
              required
            />
            <ContractValuesForm
              variables={variables}
              values={values}
              prefilled={props.prefilled}
              errors={errors}
              onChange={(name, value) => setValues((prev) => ({ ...prev, [name]: value }))}
            />
            {attempt > 0 && blank.length > 0 && (
              <Text size="sm" c="red.8" role="alert">
                Fill in every field to save ({blank.length} empty).
              </Text>
            )}
            {error ? (
              <Alert color="red" role="alert">
                {describeContractError(error)}
              </Alert>
            ) : null}
            <Group justify="flex-end">
              <Button onClick={submit} loading={pending}>
                {props.saveLabel}
              </Button>
            </Group>
          </Stack>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Stack gap="xs" component="section" aria-label="Preview">
          {previewInput ? (
            <DocumentPreview input={previewInput} />
          ) : props.currentBlocks ? (
            <>
              {props.savedBlocksNote && (
                <Text size="sm" c="gray.7">
                  {props.savedBlocksNote}
                </Text>
              )}
              <ContractDocument blocks={props.currentBlocks} label="Saved version" headingLevel={3} />
            </>
          ) : null}
          {blank.length > 0 && previewInput && (
            <Text size="sm" c="gray.7">
              Empty fields show as their name in brackets.
            </Text>
          )}
        </Stack>
      </Grid.Col>
    </Grid>
  );
}
