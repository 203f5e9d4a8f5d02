import type {
  ContractBlock,
  ContractPdfInput,
  ContractSignerEvent,
  ExecutedPdfInput,
  SignatureDrawing,
} from '../../src/modules/contracts/render/contract-document';

/** Names in the scripts the PDFs must render: Latin with diacritics, Cyrillic, Greek, CJK. */
export const NAMES = {
  polish: 'Łukasz Żółć',
  russian: 'Анна Петрова',
  greek: 'Γιώργος Παπαδόπουλος',
  japanese: '山田太郎',
} as const;

export const VERSION_SHA = 'b7e1c3a0f5d2e4b6a8c0d2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4';
export const PREVIOUS_SHA = '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0';

const LOREM =
  'The Lawyer shall provide the services described in this letter with due care and in accordance with the rules of ' +
  'professional conduct that apply to the Lawyer, and shall keep the Client informed of every material development. ';

/**
 * An engagement letter whose version PDF is three A4 pages (contract-pdf.spec checks the count):
 * the bench's document, and the tests' default.
 */
export function threePageBlocks(): ContractBlock[] {
  const blocks: ContractBlock[] = [
    { type: 'heading', text: '1. Scope of the engagement' },
    {
      type: 'paragraph',
      text: `The Lawyer, ${NAMES.polish}, will advise the Client, ${NAMES.russian}, on an employment matter involving ${NAMES.greek} and ${NAMES.japanese}. ${LOREM}`,
    },
    { type: 'subheading', text: '1.1 Fees' },
    { type: 'bullet', text: 'Consultation fee: 250.00 PLN for 60 minutes, paid in advance through the platform.' },
    { type: 'bullet', text: 'Further work is agreed in writing before it starts.' },
  ];
  for (let i = 2; i <= 9; i++) {
    blocks.push({ type: 'heading', text: `${i}. Clause ${i}` });
    blocks.push({ type: 'paragraph', text: LOREM.repeat(3) });
    if (i % 3 === 0)
      blocks.push({ type: 'bullet', text: `Point ${i}.1: ${LOREM}` }, { type: 'bullet', text: `Point ${i}.2: ${LOREM}` });
  }
  return blocks;
}

export function contractInput(overrides: Partial<ContractPdfInput> = {}): ContractPdfInput {
  return {
    contractNumber: 'C-2026-000123',
    title: 'Engagement letter: consultation on an employment matter',
    versionNumber: 2,
    versionCreatedAt: new Date('2026-03-01T09:15:00Z'),
    previousSha256: PREVIOUS_SHA,
    parties: [
      { role: 'LAWYER', name: NAMES.polish, email: 'lukasz@example.com' },
      { role: 'CLIENT', name: NAMES.russian, email: 'anna@example.com' },
    ],
    blocks: threePageBlocks(),
    ...overrides,
  };
}

/** A wavy signature drawn on a 400×120 pad, plus a dot. */
export function drawing(): SignatureDrawing {
  const wave = (phase: number): [number, number][] =>
    Array.from({ length: 40 }, (_, i) => [10 + i * 9, 60 + Math.round(Math.sin(i / 3 + phase) * 300) / 10]);
  return { width: 400, height: 120, strokes: [wave(0), wave(2), [[200, 20]]] };
}

export const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** VIEWED, CONSENTED, SIGNED for the client, then for the lawyer, a minute apart. */
export function signerEvents(base = new Date('2026-03-02T10:00:00Z')): ContractSignerEvent[] {
  const steps: ContractSignerEvent['type'][] = ['VIEWED', 'CONSENTED', 'SIGNED'];
  return [
    ...steps.map((type, i) => ({ type, role: 'CLIENT' as const, name: NAMES.russian, ip: '203.0.113.5', offset: i })),
    ...steps.map((type, i) => ({ type, role: 'LAWYER' as const, name: NAMES.polish, ip: '2001:db8::1', offset: 60 + i })),
  ].map(({ offset, ...e }) => ({
    ...e,
    at: new Date(base.getTime() + offset * 60_000),
    userAgent: USER_AGENT,
    documentSha256: VERSION_SHA,
  }));
}

export function executedInput(overrides: Partial<ExecutedPdfInput> = {}): ExecutedPdfInput {
  const events = overrides.events ?? signerEvents();
  const signedAt = (role: 'CLIENT' | 'LAWYER') =>
    events.filter((e) => e.role === role && e.type === 'SIGNED').at(-1)?.at ?? new Date('2026-03-02T12:00:00Z');
  return {
    ...contractInput(),
    versionSha256: VERSION_SHA,
    signatures: [
      {
        role: 'CLIENT',
        name: NAMES.russian,
        typedName: NAMES.russian,
        drawing: drawing(),
        signedAt: signedAt('CLIENT'),
        ip: '203.0.113.5',
        documentSha256: VERSION_SHA,
      },
      {
        role: 'LAWYER',
        name: NAMES.polish,
        typedName: NAMES.polish,
        drawing: null,
        signedAt: signedAt('LAWYER'),
        ip: '2001:db8::1',
        documentSha256: VERSION_SHA,
      },
    ],
    events,
    executedAt: new Date('2026-03-02T11:02:01Z'),
    verifyUrl: 'https://lexmarket.example/verify',
    ...overrides,
  };
}
