import { describe, expect, it } from 'vitest';
import {
  cleanVariables,
  declareVariable,
  sampleValues,
  suggestLabel,
  usedVariableNames,
  variableProblems,
} from './template-variables';

describe('usedVariableNames', () => {
  it('lists each {{name}} once, in order of first use, spaces inside the braces allowed', () => {
    expect(usedVariableNames('Dear {{client_name}},\n{{ fee }} for {{scope}}; again {{client_name}}')).toEqual([
      'client_name',
      'fee',
      'scope',
    ]);
  });

  it('leaves out what is not a plain variable tag (sections, triple braces, bad names)', () => {
    expect(usedVariableNames('{{#list}}x{{/list}} {{{raw}}} {{Bad}} {{1x}} {{! note}} {{ok_2}}')).toEqual(['ok_2']);
  });
});

describe('variableProblems', () => {
  it('finds used-but-undeclared, unused, invalid, duplicate and unlabelled variables', () => {
    const problems = variableProblems('{{client_name}} pays {{fee}} in {{city}}', [
      { name: 'client_name', label: 'Client' },
      { name: 'fee', label: '' },
      { name: 'fee', label: 'Fee' },
      { name: 'Bad-Name', label: 'x' },
      { name: 'notes', label: 'Notes' },
    ]);
    expect(problems).toEqual({
      undeclared: ['city'],
      unused: ['notes'],
      invalidNames: ['Bad-Name'],
      duplicates: ['fee'],
      unlabelled: ['fee'],
    });
  });

  it('finds nothing wrong with a matching table', () => {
    const problems = variableProblems('# Letter\n{{a}} and {{b}}', [
      { name: 'a', label: 'A' },
      { name: 'b', label: 'B', hint: 'bee' },
    ]);
    expect(Object.values(problems).flat()).toEqual([]);
  });
});

describe('labels and sample values', () => {
  it('suggests a label from the name, and the prefill keys’ own labels and hints', () => {
    expect(suggestLabel('governing_law')).toBe('Governing law');
    expect(declareVariable('client_name')).toEqual({
      name: 'client_name',
      label: 'Client name',
      hint: 'The client’s name on their account',
    });
    expect(declareVariable('retainer_amount')).toEqual({ name: 'retainer_amount', label: 'Retainer amount' });
  });

  it('uses each label as its sample value (the name when there is no label yet), skipping invalid names', () => {
    expect(
      sampleValues([
        { name: 'client_name', label: 'Client name' },
        { name: 'fee', label: ' ' },
        { name: 'Bad', label: 'Bad' },
      ]),
    ).toEqual({ client_name: 'Client name', fee: 'fee' });
  });

  it('cleans the table for the API: trimmed, empty rows and hints left out', () => {
    expect(
      cleanVariables([
        { name: ' fee ', label: ' Fee ', hint: '  ' },
        { name: '', label: '', hint: '' },
        { name: 'scope', label: 'Scope', hint: ' What we do ' },
      ]),
    ).toEqual([
      { name: 'fee', label: 'Fee' },
      { name: 'scope', label: 'Scope', hint: 'What we do' },
    ]);
  });
});
