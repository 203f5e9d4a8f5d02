import { DomainError } from '../../common/errors/domain-error';
import { PLATFORM_TEMPLATES } from '../../database/migrations/1764760000000-Contracts';
import {
  assertDeclared,
  normalizeBody,
  parseTemplate,
  renderBody,
  renderTemplate,
  type TemplateVariable,
} from './template-engine';

const vars = (...names: string[]): TemplateVariable[] => names.map((name) => ({ name, label: name }));

/** The coded error `fn` throws: its code and details. */
function refusal(fn: () => unknown): { code: string; details: Record<string, unknown> | undefined } {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, details: e.details };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('contract template engine', () => {
  it('builds headings, subheadings, bullets and paragraphs from the template text, values substituted literally', () => {
    const body = [
      '# Engagement of {{lawyer_name}}',
      '',
      '## Parties',
      'This letter is between {{client_name}}',
      'and {{lawyer_name}}.',
      '',
      '- Fee: {{fee}}',
      '- Scope: {{scope}}',
      '',
      'Signed on {{effective_date}}.',
    ].join('\n');
    const { blocks } = renderBody(body, vars('lawyer_name', 'client_name', 'fee', 'scope', 'effective_date'), {
      lawyer_name: 'Łukasz Żółć',
      client_name: '山田太郎',
      fee: '250.00 PLN',
      scope: 'Tenancy dispute',
      effective_date: '1 Dec 2026',
    });
    expect(blocks).toEqual([
      { type: 'heading', text: 'Engagement of Łukasz Żółć' },
      { type: 'subheading', text: 'Parties' },
      { type: 'paragraph', text: 'This letter is between 山田太郎\nand Łukasz Żółć.' },
      { type: 'bullet', text: 'Fee: 250.00 PLN' },
      { type: 'bullet', text: 'Scope: Tenancy dispute' },
      { type: 'paragraph', text: 'Signed on 1 Dec 2026.' },
    ]);
  });

  it('never interprets a value: HTML, mustache tags and markup appear exactly as typed', () => {
    const hostile = ['<script>alert(1)</script>', '{{x}}', '{{{x}}}', '# not a heading', '- not a bullet', '{{#s}}y{{/s}}'];
    for (const value of hostile) {
      const { blocks } = renderBody('{{a}}\n\nText: {{a}}\n- {{a}}', vars('a', 'x'), { a: value });
      expect(blocks).toEqual([
        { type: 'paragraph', text: value },
        { type: 'paragraph', text: `Text: ${value}` },
        { type: 'bullet', text: value },
      ]);
    }
  });

  it('keeps line breaks inside values, trims values and stores them NFC', () => {
    const { blocks, values } = renderBody('Address: {{address}}', vars('address'), {
      address: '  Cafe\u0301 Street 1\r\nKraków  ',
    });
    expect(values).toEqual({ address: 'Café Street 1\nKraków' });
    expect(blocks).toEqual([{ type: 'paragraph', text: 'Address: Café Street 1\nKraków' }]);
  });

  it('refuses values for undeclared variables, listing them', () => {
    expect(refusal(() => renderBody('Hi {{a}}', vars('a'), { a: 'x', zeta: '1', beta: '2' }))).toEqual({
      code: 'CONTRACT_VARIABLES_UNKNOWN',
      details: { names: ['beta', 'zeta'] },
    });
  });

  it('refuses a used variable without a value or with a blank one, listing them in order of use: never an empty gap', () => {
    expect(refusal(() => renderBody('{{b}} and {{a}} and {{c}}', vars('a', 'b', 'c'), { a: '   ', c: 'ok' }))).toEqual({
      code: 'CONTRACT_VARIABLES_MISSING',
      details: { names: ['b', 'a'] },
    });
    // Declared but not used: no value needed.
    expect(renderBody('Only {{a}}', vars('a', 'unused'), { a: 'x' }).blocks).toEqual([{ type: 'paragraph', text: 'Only x' }]);
  });

  it('treats names of Object.prototype members as ordinary names: no inherited value fills a gap', () => {
    // A declared `constructor` without a value is missing, never "function Object() { [native code] }".
    expect(refusal(() => renderBody('By {{constructor}}', vars('constructor'), {}))).toEqual({
      code: 'CONTRACT_VARIABLES_MISSING',
      details: { names: ['constructor'] },
    });
    expect(
      refusal(() =>
        renderBody('By {{constructor}} {{hasownproperty}}', vars('constructor', 'hasownproperty'), { constructor: 'x' }),
      ),
    ).toEqual({
      code: 'CONTRACT_VARIABLES_MISSING',
      details: { names: ['hasownproperty'] },
    });
    expect(renderBody('By {{constructor}}', vars('constructor'), { constructor: 'Anna' }).blocks).toEqual([
      { type: 'paragraph', text: 'By Anna' },
    ]);
    // Keys such as `__proto__` or `toString` (as a JSON body carries them: own properties) are unknown names.
    const hostile = JSON.parse('{"a":"x","__proto__":"p","toString":"t"}') as Record<string, string>;
    expect(refusal(() => renderBody('Hi {{a}}', vars('a'), hostile))).toEqual({
      code: 'CONTRACT_VARIABLES_UNKNOWN',
      details: { names: ['__proto__', 'toString'] },
    });
    // The stored values never inherit anything.
    const { values } = renderBody('Hi {{a}}', vars('a', 'constructor'), { a: 'x' });
    expect(Object.getPrototypeOf(values)).toBeNull();
    expect(Object.hasOwn(values, 'constructor')).toBe(false);
  });

  it('refuses values that are too long or carry control characters (a line feed is fine)', () => {
    expect(refusal(() => renderBody('{{a}} {{b}}', vars('a', 'b'), { a: 'x'.repeat(4001), b: 'ok' }))).toEqual({
      code: 'CONTRACT_VARIABLE_INVALID',
      details: { names: ['a'] },
    });
    expect(renderBody('{{a}}', vars('a'), { a: '😀'.repeat(4000) }).values.a).toHaveLength(8000);
    for (const bad of ['tab\there', 'bell\u0007', 'del\u007f', 'c1\u0085']) {
      expect(refusal(() => renderBody('{{a}}', vars('a'), { a: bad })).code).toBe('CONTRACT_VARIABLE_INVALID');
    }
  });

  it.each([
    ['{{#s}}x{{/s}}', /Sections/],
    ['{{^s}}x{{/s}}', /Inverted sections/],
    ['{{/s}}', /Sections/],
    ['{{>partial}}', /Partials/],
    ['{{{raw}}}', /Unescaped/],
    ['{{&raw}}', /Unescaped/],
    ['{{! note }}', /Comments/],
    ['{{=<% %>=}}<%a%>', /delimiters/],
    ['Hello {{name', /not closed/],
    ['{{Name}}', /Variable names/],
    ['{{a.b}}', /Variable names/],
    ['{{.}}', /Variable names/],
    ['{{}}', /Variable names/],
    ['{{7*7}}', /Variable names/],
    [`{{${'a'.repeat(49)}}}`, /Variable names/],
    ['bell\u0007', /control character/],
  ])('refuses %j as TEMPLATE_SYNTAX_INVALID without quoting the template', (body, message) => {
    const { code, details } = refusal(() => parseTemplate(normalizeBody(body)));
    expect(code).toBe('TEMPLATE_SYNTAX_INVALID');
    expect((details as { message: string }).message).toMatch(message);
    expect((details as { message: string }).message).not.toContain('partial');
  });

  it('refuses, on save, variables the body uses but does not declare', () => {
    const parsed = parseTemplate('{{a}} {{b}} {{c}} {{b}}');
    expect(parsed.used).toEqual(['a', 'b', 'c']);
    expect(refusal(() => assertDeclared(parsed, vars('b')))).toEqual({
      code: 'TEMPLATE_VARIABLES_UNDECLARED',
      details: { names: ['a', 'c'] },
    });
    expect(() => assertDeclared(parsed, vars('a', 'b', 'c', 'extra'))).not.toThrow();
  });

  it('accepts spaces inside tags, CRLF bodies and literal braces that are not tags', () => {
    const { blocks } = renderBody('# Title\r\n\r\nA {{ a }} b }} c', vars('a'), { a: 'x' });
    expect(blocks).toEqual([
      { type: 'heading', text: 'Title' },
      { type: 'paragraph', text: 'A x b }} c' },
    ]);
  });

  it('treats a line that starts with a variable as text; a marker needs its space', () => {
    const parsed = parseTemplate('{{h}} heading?\n\n#no-space\n\n- item\ncontinued');
    expect(renderTemplate(parsed, vars('h'), { h: '#' }).blocks).toEqual([
      { type: 'paragraph', text: '# heading?' },
      { type: 'paragraph', text: '#no-space' },
      { type: 'bullet', text: 'item\ncontinued' },
    ]);
  });

  it('parses every seeded platform template, each declaring exactly the variables it uses', () => {
    expect(PLATFORM_TEMPLATES.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Engagement/),
        expect.stringMatching(/Non-disclosure/),
        expect.stringMatching(/Fee/),
      ]),
    );
    for (const t of PLATFORM_TEMPLATES) {
      const parsed = parseTemplate(normalizeBody(t.body));
      expect(parsed.used.sort()).toEqual(t.variables.map((v) => v.name).sort());
      expect(parsed.blocks.filter((b) => b.type === 'heading')).toHaveLength(1);
      const values = Object.fromEntries(t.variables.map((v) => [v.name, `<${v.name}>`]));
      const { blocks } = renderTemplate(parsed, t.variables, values);
      expect(blocks.length).toBeGreaterThan(8);
    }
  });
});
