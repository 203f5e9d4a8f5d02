import { Badge, SimpleGrid, Textarea } from '@mantine/core';
import type { TemplateVariable } from '../contracts.types';

export const VALUE_MAX = 4000;

/**
 * One field per template variable, labelled and hinted as the template declares; values the API
 * filled in from the session are marked. Long values (a scope of work) grow the field.
 */
export function ContractValuesForm({
  variables,
  values,
  prefilled,
  errors,
  onChange,
}: {
  variables: readonly TemplateVariable[];
  values: Record<string, string>;
  prefilled: ReadonlySet<string>;
  errors: Record<string, string>;
  onChange: (name: string, value: string) => void;
}) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="md">
      {variables.map((v) => {
        const value = values[v.name] ?? '';
        const tooLong = value.length > VALUE_MAX ? `Use at most ${VALUE_MAX} characters` : undefined;
        return (
          <Textarea
            key={v.name}
            label={
              <>
                {v.label || v.name}
                {prefilled.has(v.name) && (
                  <Badge
                    size="xs"
                    variant="light"
                    color="teal"
                    tt="none"
                    component="span"
                    ml={6}
                    style={{ verticalAlign: 'middle' }}
                  >
                    From the session
                  </Badge>
                )}
              </>
            }
            description={v.hint}
            value={value}
            onChange={(e) => onChange(v.name, e.currentTarget.value)}
            error={errors[v.name] ?? tooLong}
            autosize
            minRows={1}
            maxRows={8}
            required
            data-variable={v.name}
          />
        );
      })}
    </SimpleGrid>
  );
}

/** Fields the API would refuse as missing, known before asking: declared and blank. */
export function blankNames(variables: readonly TemplateVariable[], values: Record<string, string>): string[] {
  return variables.filter((v) => !(values[v.name] ?? '').trim()).map((v) => v.name);
}

/** The values for the preview: a blank field shows as its label in brackets, so the document is readable while filling in. */
export function previewValues(variables: readonly TemplateVariable[], values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    variables.map((v) => [v.name, (values[v.name] ?? '').trim() ? values[v.name]! : `[${v.label || v.name}]`]),
  );
}
