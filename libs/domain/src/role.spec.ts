import { isRole, Role, ROLES } from './role';

describe('Role', () => {
  it('lists exactly the four marketplace roles', () => {
    expect([...ROLES].sort()).toEqual(['ADMIN', 'CLIENT', 'LAWYER', 'PARTNER']);
    expect(Role.LAWYER).toBe('LAWYER');
  });

  it('recognises role strings and rejects anything else', () => {
    expect(isRole('ADMIN')).toBe(true);
    expect(isRole('admin')).toBe(false);
    expect(isRole('SUPERUSER')).toBe(false);
    expect(isRole(undefined)).toBe(false);
    expect(isRole(42)).toBe(false);
  });
});
