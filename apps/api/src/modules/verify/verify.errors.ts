import { domainError } from '../../common/errors/domain-error';

/** The path is not a SHA-256 in hex (64 hex digits). */
export class VerifyHashInvalid extends domainError('VERIFY_HASH_INVALID', 400, 'Give a SHA-256 as 64 hexadecimal digits') {}
