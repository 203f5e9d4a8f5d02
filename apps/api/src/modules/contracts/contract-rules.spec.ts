import { DomainError } from '../../common/errors/domain-error';
import {
  allowedActions,
  assertDraft,
  assertSignable,
  assertVoidable,
  contractNumber,
  type ContractStatus,
} from './contract-rules';
import { checkSignature } from './signature-rules';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
};

describe('contract rules', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  const later = new Date('2026-12-15T12:00:00Z');

  it('numbers contracts by year and sequence', () => {
    expect(contractNumber(now, 123)).toBe('C-2026-000123');
    expect(contractNumber(now, 1_234_567)).toBe('C-2026-1234567');
  });

  it('refuses every change of a final contract first: executed, then closed; edits need a draft; signing a sent contract before its deadline', () => {
    expect(code(() => assertDraft('EXECUTED'))).toBe('CONTRACT_EXECUTED');
    for (const s of ['VOIDED', 'DECLINED', 'EXPIRED'] as ContractStatus[])
      expect(code(() => assertDraft(s))).toBe('CONTRACT_CLOSED');
    expect(code(() => assertDraft('SENT'))).toBe('CONTRACT_NOT_DRAFT');
    expect(code(() => assertDraft('DRAFT'))).toBeUndefined();
    expect(code(() => assertSignable({ status: 'DRAFT', expiresAt: null }, now))).toBe('CONTRACT_NOT_SIGNABLE');
    expect(code(() => assertSignable({ status: 'EXECUTED', expiresAt: later }, now))).toBe('CONTRACT_EXECUTED');
    expect(code(() => assertSignable({ status: 'SENT', expiresAt: later }, now))).toBeUndefined();
    expect(code(() => assertSignable({ status: 'PARTIALLY_SIGNED', expiresAt: now }, now))).toBe('CONTRACT_CLOSED');
    // Voiding: a draft or a contract out for signature, until its deadline (then it is closed, as for signing).
    expect(code(() => assertVoidable({ status: 'DRAFT', expiresAt: null }, now))).toBeUndefined();
    expect(code(() => assertVoidable({ status: 'SENT', expiresAt: later }, now))).toBeUndefined();
    expect(code(() => assertVoidable({ status: 'SENT', expiresAt: now }, now))).toBe('CONTRACT_CLOSED');
    expect(code(() => assertVoidable({ status: 'PARTIALLY_SIGNED', expiresAt: now }, now))).toBe('CONTRACT_CLOSED');
    expect(code(() => assertVoidable({ status: 'EXECUTED', expiresAt: later }, now))).toBe('CONTRACT_EXECUTED');
    expect(code(() => assertVoidable({ status: 'DECLINED', expiresAt: later }, now))).toBe('CONTRACT_CLOSED');
  });

  it('offers each caller only what they may do now', () => {
    const none = { role: null, signed: false, viewed: false } as const;
    expect(allowedActions({ status: 'DRAFT', expiresAt: null }, { role: 'LAWYER', signed: false, viewed: false }, now)).toEqual({
      edit: true,
      send: true,
      void: true,
      view: false,
      sign: false,
      decline: false,
      downloadExecuted: false,
    });
    expect(
      allowedActions({ status: 'SENT', expiresAt: later }, { role: 'CLIENT', signed: false, viewed: true }, now),
    ).toMatchObject({
      edit: false,
      void: false,
      view: false,
      sign: true,
      decline: true,
    });
    expect(
      allowedActions({ status: 'PARTIALLY_SIGNED', expiresAt: later }, { role: 'LAWYER', signed: true, viewed: true }, now),
    ).toMatchObject({
      void: true,
      sign: false,
      decline: false,
    });
    expect(
      allowedActions({ status: 'SENT', expiresAt: now }, { role: 'CLIENT', signed: false, viewed: false }, now),
    ).toMatchObject({ view: false, sign: false });
    expect(
      allowedActions({ status: 'PARTIALLY_SIGNED', expiresAt: now }, { role: 'LAWYER', signed: true, viewed: true }, now),
    ).toMatchObject({ void: false, sign: false });
    expect(allowedActions({ status: 'EXECUTED', expiresAt: later }, none, now)).toEqual({
      edit: false,
      send: false,
      void: false,
      view: false,
      sign: false,
      decline: false,
      downloadExecuted: true,
    });
  });

  it('needs consent and a typed name; a drawing must stay on its pad', () => {
    expect(code(() => checkSignature({ consent: false, typedName: 'Ann' }))).toBe('CONTRACT_CONSENT_REQUIRED');
    expect(code(() => checkSignature({ consent: true, typedName: ' \n ' }))).toBe('CONTRACT_SIGNATURE_INVALID');
    expect(checkSignature({ consent: true, typedName: '  Zofia   Wo\u0301jcik ' })).toEqual({
      typedName: 'Zofia Wójcik',
      drawing: null,
    });
    const drawing = {
      width: 100,
      height: 50,
      strokes: [[[0, 0] as [number, number], [100, 50] as [number, number], [33.3333, 12.005] as [number, number]]],
    };
    expect(checkSignature({ consent: true, typedName: 'A', drawing }).drawing).toEqual({
      width: 100,
      height: 50,
      strokes: [
        [
          [0, 0],
          [100, 50],
          [33.33, 12.01],
        ],
      ],
    });
    for (const bad of [
      { width: 0, height: 50, strokes: [[[1, 1]]] },
      { width: 100, height: 50, strokes: [] },
      { width: 100, height: 50, strokes: [[]] },
      { width: 100, height: 50, strokes: [[[101, 1]]] },
      { width: 100, height: 50, strokes: [[[1, Number.NaN]]] },
      { width: 100, height: 50, strokes: [[[1, 2, 3]]] },
      { width: 100, height: 50, strokes: Array.from({ length: 101 }, () => [[1, 1]]) },
    ]) {
      expect(code(() => checkSignature({ consent: true, typedName: 'A', drawing: bad as never }))).toBe(
        'CONTRACT_SIGNATURE_INVALID',
      );
    }
  });
});
