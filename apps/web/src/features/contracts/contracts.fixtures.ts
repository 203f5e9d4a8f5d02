import type { ContractDetail } from './contracts.types';

export const CONTRACT_ID = '00000000-0000-4000-8000-0000000000c1';
export const SESSION_ID = '00000000-0000-4000-8000-0000000000s1'.replace('s', '5');
export const CLIENT_ID = '00000000-0000-4000-8000-0000000000a1';
export const LAWYER_ID = '00000000-0000-4000-8000-0000000000b1';
export const SHA_V1 = 'a'.repeat(64);
export const SHA_V2 = 'b'.repeat(64);

export const CLIENT_ME = {
  id: CLIENT_ID,
  email: 'zofia@example.com',
  role: 'CLIENT',
  status: 'ACTIVE',
  displayName: 'Zofia Łukasiewicz',
  timeZone: 'Europe/Warsaw',
  locale: 'en',
  emailVerified: true,
  emailVerifiedAt: null,
  createdAt: '2026-01-02T10:00:00.000Z',
};

export const LAWYER_ME = { ...CLIENT_ME, id: LAWYER_ID, email: 'ana@example.com', role: 'LAWYER', displayName: 'Ana López' };

/** A contract out for signature, version 1, as the API describes it to the client. */
export function contractDetail(overrides: Partial<ContractDetail> = {}): ContractDetail {
  return {
    id: CONTRACT_ID,
    number: 'C-2026-000123',
    title: 'Engagement letter',
    status: 'SENT',
    sessionId: SESSION_ID,
    templateId: '00000000-0000-4000-8000-0000000000d1',
    yourRole: 'CLIENT',
    parties: [
      { role: 'LAWYER', userId: LAWYER_ID, name: 'Ana López', signedAt: null, declinedAt: null },
      { role: 'CLIENT', userId: CLIENT_ID, name: 'Zofia Łukasiewicz', signedAt: null, declinedAt: null },
    ],
    currentVersion: {
      id: 'v1',
      number: 1,
      sha256: SHA_V1,
      previousSha256: null,
      createdAt: '2026-03-01T10:00:00.000Z',
      variables: { client_name: 'Zofia Łukasiewicz', scope: '<script>alert(1)</script> {{x}}' },
      blocks: [
        { type: 'heading', text: 'Engagement letter' },
        { type: 'paragraph', text: 'Ana López advises Zofia Łukasiewicz.' },
        { type: 'subheading', text: 'Scope' },
        { type: 'bullet', text: '<script>alert(1)</script> {{x}}' },
        { type: 'bullet', text: '# not a heading' },
      ],
    },
    versions: [{ id: 'v1', number: 1, sha256: SHA_V1, createdAt: '2026-03-01T10:00:00.000Z' }],
    events: [],
    executed: null,
    expiresAt: '2026-03-15T10:00:00.000Z',
    closeReason: null,
    createdAt: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-01T10:00:00.000Z',
    sentAt: '2026-03-01T10:00:00.000Z',
    executedAt: null,
    closedAt: null,
    allowedActions: { edit: false, send: false, void: false, view: true, sign: true, decline: true, downloadExecuted: false },
    ...overrides,
  };
}
