import { ApiError } from '@lm/api-client';
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Container,
  Grid,
  Group,
  List,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { NotFoundPage } from '../../app/not-found-page';
import { paths } from '../../app/paths';
import { ConfirmActions } from '../../components/confirm-actions';
import { PageHeader } from '../../components/page-header';
import { ErrorState, LoadingState } from '../../components/query-state';
import { fieldErrorsOf } from '../../lib/field-errors';
import { DocumentPreview } from './components/document-preview';
import { describeContractError, isContractError, namesOf } from './contract-errors';
import { templateQueryOptions, useArchiveTemplate, useSaveTemplate } from './contracts.queries';
import type { TemplateDetail, TemplateVariable } from './contracts.types';
import {
  cleanVariables,
  declareVariable,
  isPrefillKey,
  PREFILL_KEYS,
  sampleValues,
  VARIABLE_NAME,
  variableProblems,
} from './template-variables';

export const NAME_MAX = 200;
export const DESCRIPTION_MAX = 1000;
export const BODY_MAX = 50_000;

const STARTER_BODY = `# Engagement letter

This letter sets out the terms on which {{lawyer_name}} advises {{client_name}}.

## Scope
{{scope}}

## Fees
- Fee: {{fee}}
`;

/**
 * Lawyer: write a template (`/lawyer/contract-templates/new`, `?from=` copies one) or a new version
 * of one of mine (`/lawyer/contract-templates/:id`); LexMarket's templates and archived ones are
 * read only. Variables are declared in a table (name, label, hint); the preview is rendered by the
 * API with each variable's label as its sample value.
 */
export function TemplateEditorPage() {
  const { id } = useParams();
  const [params] = useSearchParams();
  const from = id ? null : params.get('from');
  const sourceId = id ?? from;
  const source = useQuery({ ...templateQueryOptions(sourceId ?? ''), enabled: sourceId !== null });

  if (sourceId && source.isPending) return <LoadingState label="Loading the template" />;
  if (sourceId && source.isError) {
    if (source.error instanceof ApiError && (source.error.status === 404 || source.error.status === 400)) return <NotFoundPage />;
    return (
      <Container size="md" py="xl">
        <ErrorState error={source.error} onRetry={() => void source.refetch()} />
      </Container>
    );
  }
  const template = source.data ?? null;
  const editable = id ? template?.owner === 'OWN' && !template.archived : true;

  return (
    <Container size="xl" py="xl">
      <Stack gap="lg">
        <Anchor component={Link} to={paths.lawyer.contractTemplates} size="sm">
          Back to templates
        </Anchor>
        {id && template ? (
          <PageHeader
            title={template.name}
            description={`${template.owner === 'OWN' ? 'Your template' : 'LexMarket template'} · version ${template.version.number}`}
            actions={
              <Group gap="xs">
                {template.archived && (
                  <Badge color="gray" variant="outline" tt="none" size="lg">
                    Archived
                  </Badge>
                )}
                <Button component={Link} to={`${paths.lawyer.newContractTemplate}?from=${template.id}`} variant="default">
                  Copy into a new template
                </Button>
                {editable && <ArchiveButton template={template} />}
              </Group>
            }
          />
        ) : (
          <PageHeader
            title="New template"
            description={template ? `A copy of “${template.name}”.` : 'Write the text once; each contract fills in its values.'}
          />
        )}
        {id && template && !editable && (
          <Alert color="gray" role="status" title={template.archived ? 'Archived' : 'Read only'}>
            {template.archived
              ? 'No new contracts can be made from this template. Contracts made from it keep their text.'
              : 'LexMarket’s templates cannot be changed. Copy this one to make it your own.'}
          </Alert>
        )}
        <TemplateForm
          // A saved version or another source starts the form again.
          key={`${id ?? 'new'}-${from ?? ''}-${template?.version.id ?? ''}`}
          templateId={id ?? null}
          initial={
            template
              ? {
                  name: id ? template.name : `${template.name} (copy)`,
                  description: template.description ?? '',
                  body: template.version.body,
                  variables: template.version.variables,
                }
              : {
                  name: '',
                  description: '',
                  body: STARTER_BODY,
                  variables: ['lawyer_name', 'client_name', 'scope', 'fee'].map(declareVariable),
                }
          }
          readOnly={!editable}
        />
      </Stack>
    </Container>
  );
}

function ArchiveButton({ template }: { template: TemplateDetail }) {
  const [opened, { open, close }] = useDisclosure(false);
  const archive = useArchiveTemplate();
  return (
    <>
      <Button variant="light" color="red" onClick={open}>
        Archive
      </Button>
      <Modal opened={opened} onClose={close} title="Archive this template?" centered>
        <Stack gap="md">
          <Text size="sm">
            No new contracts can be made from “{template.name}”. Contracts already made from it keep their text.
          </Text>
          {archive.error ? (
            <Alert color="red" role="alert">
              {describeContractError(archive.error)}
            </Alert>
          ) : null}
          <ConfirmActions
            pending={archive.isPending}
            color="red"
            onCancel={close}
            onConfirm={() =>
              archive.mutate(template.id, {
                onSuccess: () => {
                  close();
                  notifications.show({ color: 'green', title: 'Template archived', message: template.name });
                },
              })
            }
          >
            Archive
          </ConfirmActions>
        </Stack>
      </Modal>
    </>
  );
}

interface Draft {
  name: string;
  description: string;
  body: string;
  variables: TemplateVariable[];
}

function TemplateForm({ templateId, initial, readOnly }: { templateId: string | null; initial: Draft; readOnly: boolean }) {
  const navigate = useNavigate();
  const save = useSaveTemplate();
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [body, setBody] = useState(initial.body);
  const [variables, setVariables] = useState<TemplateVariable[]>(initial.variables);
  const [tried, setTried] = useState(false);

  const problems = variableProblems(body, variables);
  const cleaned = useMemo(() => cleanVariables(variables), [variables]);
  const previewInput = useMemo(() => ({ body, variables: cleaned, values: sampleValues(cleaned) }), [body, cleaned]);
  const apiFields = fieldErrorsOf(save.error);
  const undeclaredByApi = isContractError(save.error, 'TEMPLATE_VARIABLES_UNDECLARED') ? namesOf(save.error) : [];

  const nameError =
    tried && !name.trim()
      ? 'Give the template a name'
      : name.length > NAME_MAX
        ? `Use at most ${NAME_MAX} characters`
        : apiFields.name;
  const bodyError =
    tried && !body.trim()
      ? 'Write the template’s text'
      : body.length > BODY_MAX
        ? `Use at most ${BODY_MAX} characters`
        : apiFields.body;
  const descriptionError =
    description.length > DESCRIPTION_MAX ? `Use at most ${DESCRIPTION_MAX} characters` : apiFields.description;
  const blocking =
    problems.undeclared.length + problems.invalidNames.length + problems.duplicates.length + problems.unlabelled.length > 0;

  const setVariable = (index: number, change: Partial<TemplateVariable>) =>
    setVariables((prev) => prev.map((v, i) => (i === index ? { ...v, ...change } : v)));
  const declare = (names: string[]) =>
    setVariables((prev) => [...prev.filter((v) => v.name.trim() || v.label.trim()), ...names.map(declareVariable)]);

  /** Puts `{{name}}` at the cursor in the text (declaring it if needed). */
  const insert = (varName: string) => {
    const el = bodyRef.current;
    const tag = `{{${varName}}}`;
    const at = el?.selectionStart ?? body.length;
    const end = el?.selectionEnd ?? at;
    setBody(body.slice(0, at) + tag + body.slice(end));
    if (!variables.some((v) => v.name.trim() === varName)) declare([varName]);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + tag.length, at + tag.length);
    });
  };

  const submit = () => {
    setTried(true);
    if (!name.trim() || !body.trim() || blocking || nameError || bodyError || descriptionError) return;
    save.mutate(
      {
        id: templateId,
        input: {
          name: name.trim(),
          ...(description.trim() ? { description: description.trim() } : {}),
          body,
          variables: cleaned,
        },
      },
      {
        onSuccess: (saved) => {
          notifications.show({
            color: 'green',
            title: templateId ? `Version ${saved.version.number} saved` : 'Template saved',
            message: saved.name,
          });
          if (!templateId) navigate(paths.lawyer.contractTemplate(saved.id), { replace: true });
        },
      },
    );
  };

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Stack gap="lg">
          <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="template-text-heading">
            <Stack gap="md">
              <Title order={2} fz="lg" id="template-text-heading">
                Text
              </Title>
              <TextInput
                label="Name"
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                error={nameError}
                required
                readOnly={readOnly}
              />
              <Textarea
                label="Description (optional)"
                description="Shown when choosing a template."
                value={description}
                onChange={(e) => setDescription(e.currentTarget.value)}
                error={descriptionError}
                autosize
                minRows={1}
                readOnly={readOnly}
              />
              <Textarea
                ref={bodyRef}
                label="Template text"
                description={
                  <>
                    <Code># </Code> heading, <Code>## </Code> subheading, <Code>- </Code> bullet, a blank line starts a new
                    paragraph, <Code>{'{{name}}'}</Code> a value.
                  </>
                }
                value={body}
                onChange={(e) => setBody(e.currentTarget.value)}
                error={bodyError}
                autosize
                minRows={12}
                maxRows={30}
                required
                readOnly={readOnly}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 14 } }}
              />
            </Stack>
          </Paper>

          <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="variables-heading">
            <Stack gap="md">
              <Title order={2} fz="lg" id="variables-heading">
                Variables
              </Title>
              <Text size="sm" c="gray.7">
                Each variable is one field the lawyer fills in when creating a contract: its name in the text, the label of its
                field and an optional hint.
              </Text>
              <VariablesTable
                variables={variables}
                readOnly={readOnly}
                onChange={setVariable}
                onRemove={(i) => setVariables((p) => p.filter((_, j) => j !== i))}
              />
              {!readOnly && (
                <Group>
                  <Button variant="default" size="xs" onClick={() => setVariables((p) => [...p, { name: '', label: '' }])}>
                    Add variable
                  </Button>
                </Group>
              )}
              <Problems
                problems={problems}
                undeclaredByApi={undeclaredByApi}
                tried={tried}
                readOnly={readOnly}
                onDeclare={declare}
              />
              <PrefillHints readOnly={readOnly} onInsert={insert} />
            </Stack>
          </Paper>

          {!readOnly && (
            <Stack gap="xs">
              {save.error && !undeclaredByApi.length ? (
                <Alert color="red" role="alert">
                  {describeContractError(save.error)}
                </Alert>
              ) : null}
              {tried && blocking && (
                <Text size="sm" c="red.8" role="alert">
                  Fix the variables above to save.
                </Text>
              )}
              <Group justify="flex-end">
                <Button onClick={submit} loading={save.isPending}>
                  {templateId ? 'Save new version' : 'Save template'}
                </Button>
              </Group>
            </Stack>
          )}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Stack gap="xs" component="section" aria-label="Preview" style={{ position: 'sticky', top: 80 }}>
          <DocumentPreview input={previewInput} label="Preview with sample values" />
          <Text size="xs" c="gray.7">
            Each value shows as its variable’s label.
          </Text>
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

function VariablesTable({
  variables,
  readOnly,
  onChange,
  onRemove,
}: {
  variables: TemplateVariable[];
  readOnly: boolean;
  onChange: (index: number, change: Partial<TemplateVariable>) => void;
  onRemove: (index: number) => void;
}) {
  if (variables.length === 0) {
    return (
      <Text size="sm" c="gray.7">
        No variables: every contract from this template has the same text.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table aria-label="Variables" verticalSpacing={6} horizontalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Label</Table.Th>
            <Table.Th>Hint</Table.Th>
            {!readOnly && (
              <Table.Th>
                <VisuallyHidden>Remove</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {variables.map((v, i) => {
            const nameInvalid = v.name.trim() !== '' && !VARIABLE_NAME.test(v.name.trim());
            const row = i + 1;
            return (
              <Table.Tr key={i}>
                <Table.Td>
                  <TextInput
                    aria-label={`Name of variable ${row}`}
                    value={v.name}
                    onChange={(e) => onChange(i, { name: e.currentTarget.value })}
                    error={nameInvalid ? 'Lower-case letters, digits and _' : undefined}
                    readOnly={readOnly}
                    styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                    rightSection={isPrefillKey(v.name.trim()) ? <span title="Filled in from the session">★</span> : undefined}
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    aria-label={`Label of variable ${row}`}
                    value={v.label}
                    onChange={(e) => onChange(i, { label: e.currentTarget.value })}
                    readOnly={readOnly}
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    aria-label={`Hint of variable ${row}`}
                    value={v.hint ?? ''}
                    onChange={(e) => onChange(i, { hint: e.currentTarget.value })}
                    readOnly={readOnly}
                  />
                </Table.Td>
                {!readOnly && (
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      onClick={() => onRemove(i)}
                      aria-label={`Remove variable ${v.name || row}`}
                    >
                      <span aria-hidden>✕</span>
                    </ActionIcon>
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Problems({
  problems,
  undeclaredByApi,
  tried,
  readOnly,
  onDeclare,
}: {
  problems: ReturnType<typeof variableProblems>;
  undeclaredByApi: string[];
  tried: boolean;
  readOnly: boolean;
  onDeclare: (names: string[]) => void;
}) {
  if (readOnly) return null;
  const undeclared = [...new Set([...problems.undeclared, ...undeclaredByApi])];
  const items: { key: string; text: string; action?: { label: string; names: string[] } }[] = [];
  if (undeclared.length) {
    items.push({
      key: 'undeclared',
      text: `Used in the text but not declared: ${undeclared.join(', ')}.`,
      action: { label: undeclared.length === 1 ? `Declare ${undeclared[0]}` : 'Declare them', names: undeclared },
    });
  }
  if (problems.invalidNames.length) {
    items.push({
      key: 'invalid',
      text: `Not a valid name: ${problems.invalidNames.join(', ')}. Use lower-case letters, digits and _, starting with a letter.`,
    });
  }
  if (problems.duplicates.length) items.push({ key: 'duplicates', text: `Declared twice: ${problems.duplicates.join(', ')}.` });
  if (problems.unlabelled.length) items.push({ key: 'unlabelled', text: `Give a label to: ${problems.unlabelled.join(', ')}.` });
  if (problems.unused.length)
    items.push({ key: 'unused', text: `Declared but not used in the text: ${problems.unused.join(', ')}.` });
  if (items.length === 0) return null;
  const blocking = items.some((i) => i.key !== 'unused');
  return (
    <Alert
      color={blocking ? (tried || undeclaredByApi.length ? 'red' : 'orange') : 'gray'}
      role={tried ? 'alert' : 'status'}
      title="Check the variables"
    >
      <List size="sm" spacing={4}>
        {items.map((item) => (
          <List.Item key={item.key}>
            {item.text}{' '}
            {item.action && (
              <Button size="compact-xs" variant="white" onClick={() => onDeclare(item.action!.names)}>
                {item.action.label}
              </Button>
            )}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

function PrefillHints({ readOnly, onInsert }: { readOnly: boolean; onInsert: (name: string) => void }) {
  return (
    <Stack gap={6}>
      <Text size="sm" fw={600}>
        Filled in from the session
      </Text>
      <Text size="xs" c="gray.7">
        Declare a variable with one of these names and its field starts with the value from the session and the two profiles (it
        can still be changed).
      </Text>
      <Table.ScrollContainer minWidth={420}>
        <Table aria-label="Variables filled in from the session" verticalSpacing={4} horizontalSpacing="xs">
          <Table.Tbody>
            {PREFILL_KEYS.map((k) => (
              <Table.Tr key={k.name}>
                <Table.Td>
                  <Code>{`{{${k.name}}}`}</Code>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{k.hint}</Text>
                </Table.Td>
                {!readOnly && (
                  <Table.Td>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      onClick={() => onInsert(k.name)}
                      aria-label={`Insert ${k.name} into the text`}
                    >
                      Insert
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
