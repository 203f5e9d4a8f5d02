import { ROLES } from './role';
import { API_SCOPES, isApiScope, SCOPES_BY_ROLE, scopesAllowedFor, scopesSatisfy } from './scopes';

describe('API key scopes', () => {
  it('names each scope once, in the resource:action form (or admin)', () => {
    expect(new Set(API_SCOPES).size).toBe(API_SCOPES.length);
    for (const scope of API_SCOPES) expect(scope).toMatch(/^(admin|[a-z]+:(read|write|manage))$/);
  });

  it('gives every role a subset of the catalogue, and admin to ADMIN only', () => {
    for (const role of ROLES) {
      expect(SCOPES_BY_ROLE[role].length).toBeGreaterThan(0);
      for (const scope of SCOPES_BY_ROLE[role]) expect(API_SCOPES).toContain(scope);
      expect(SCOPES_BY_ROLE[role].includes('admin')).toBe(role === 'ADMIN');
    }
  });

  it('keeps money reports from clients and session access from ADMIN keys without admin', () => {
    expect(SCOPES_BY_ROLE.CLIENT).not.toContain('reports:read');
    expect(SCOPES_BY_ROLE.LAWYER).toContain('reports:read');
    expect(SCOPES_BY_ROLE.ADMIN).not.toContain('sessions:read');
    expect(SCOPES_BY_ROLE.ADMIN).not.toContain('contracts:read');
  });

  it('recognises scope strings and rejects anything else', () => {
    expect(isApiScope('sessions:read')).toBe(true);
    expect(isApiScope('admin')).toBe(true);
    expect(isApiScope('ADMIN')).toBe(false);
    expect(isApiScope('sessions:*')).toBe(false);
    expect(isApiScope(undefined)).toBe(false);
  });

  it('intersects stored scopes with what the role allows today', () => {
    expect(scopesAllowedFor('CLIENT', ['sessions:read', 'reports:read', 'admin', 'bogus'])).toEqual(['sessions:read']);
    expect(scopesAllowedFor('ADMIN', ['admin', 'sessions:read'])).toEqual(['admin']);
  });

  it('needs every required scope; admin satisfies any', () => {
    expect(scopesSatisfy(['sessions:read'], ['sessions:read'])).toBe(true);
    expect(scopesSatisfy(['sessions:read'], ['sessions:write'])).toBe(false);
    expect(scopesSatisfy(['sessions:read'], ['sessions:read', 'reviews:read'])).toBe(false);
    expect(scopesSatisfy(['admin'], ['contracts:read'])).toBe(true);
    expect(scopesSatisfy([], ['profile:read'])).toBe(false);
  });
});
