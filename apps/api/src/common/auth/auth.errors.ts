import { domainError } from '../errors/domain-error';

export class Unauthenticated extends domainError('UNAUTHENTICATED', 401, 'Authentication required') {}
export class InvalidCredentials extends domainError('INVALID_CREDENTIALS', 401, 'Invalid or expired credentials') {}
export class Forbidden extends domainError('FORBIDDEN', 403, 'You are not allowed to do this') {}
/** A route without @Public() or @Roles(): a programming error, denied by default. */
export class AccessUndeclared extends domainError('ACCESS_UNDECLARED', 500, 'Internal server error') {}
