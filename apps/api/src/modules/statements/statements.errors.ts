import { domainError } from '../../common/errors/domain-error';

/** No such statement, or not the caller's (never revealed). */
export class StatementNotFound extends domainError('STATEMENT_NOT_FOUND', 404, 'Statement not found') {}
/** A statement is re-issued at most once: re-issue the statement that replaced it instead. */
export class StatementAlreadySuperseded extends domainError(
  'STATEMENT_ALREADY_SUPERSEDED',
  409,
  'This statement has already been superseded by a re-issued statement; re-issue the newest one instead',
) {}

/** Every code of this module (for exhaustive handling). */
export type StatementsErrorCode = 'STATEMENT_NOT_FOUND' | 'STATEMENT_ALREADY_SUPERSEDED';
