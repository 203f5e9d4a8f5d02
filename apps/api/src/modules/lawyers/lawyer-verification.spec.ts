import { decideVerification, statusAfterEdit } from './lawyer-verification';

describe('lawyer verification rules', () => {
  it.each([
    ['PENDING_VERIFICATION', 'VERIFY', 'VERIFIED'],
    ['PENDING_VERIFICATION', 'REJECT', 'REJECTED'],
    ['VERIFIED', 'REJECT', 'REJECTED'],
    ['VERIFIED', 'VERIFY', null],
    ['REJECTED', 'VERIFY', null],
    ['REJECTED', 'REJECT', null],
  ] as const)('%s + %s → %s', (from, decision, to) => {
    expect(decideVerification(from, decision)).toBe(to);
  });

  it.each([
    ['REJECTED', false, 'PENDING_VERIFICATION'],
    ['REJECTED', true, 'PENDING_VERIFICATION'],
    ['VERIFIED', false, 'VERIFIED'],
    ['VERIFIED', true, 'PENDING_VERIFICATION'],
    ['PENDING_VERIFICATION', true, 'PENDING_VERIFICATION'],
  ] as const)('editing a %s profile (credentials changed: %s) → %s', (from, changed, to) => {
    expect(statusAfterEdit(from, changed)).toBe(to);
  });
});
