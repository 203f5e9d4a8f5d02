/**
 * The four roles of the marketplace. A user has exactly one role; ADMIN is never
 * self-registered. Values are the strings stored in the database and sent over the API.
 */
export const Role = {
  CLIENT: 'CLIENT',
  LAWYER: 'LAWYER',
  PARTNER: 'PARTNER',
  ADMIN: 'ADMIN',
} as const;

export type Role = (typeof Role)[keyof typeof Role];

export const ROLES: readonly Role[] = Object.freeze(Object.values(Role));

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
