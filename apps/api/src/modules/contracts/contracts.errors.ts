import { domainError } from '../../common/errors/domain-error';

/** No such template, or not one the caller may use (another lawyer's: never revealed). */
export class TemplateNotFound extends domainError('TEMPLATE_NOT_FOUND', 404, 'Contract template not found') {}
/** The template body is not the allowed subset of Mustache (details: `{ message }`). */
export class TemplateSyntaxInvalid extends domainError(
  'TEMPLATE_SYNTAX_INVALID',
  400,
  'The template body is invalid: only {{variable}} tags are allowed',
) {}
/** The body uses variables the template does not declare (details: `{ names }`). */
export class TemplateVariablesUndeclared extends domainError(
  'TEMPLATE_VARIABLES_UNDECLARED',
  400,
  'The template body uses variables that are not declared',
) {}
export class TemplateArchived extends domainError(
  'TEMPLATE_ARCHIVED',
  409,
  'This template is archived and can no longer be used or changed',
) {}

/** No such contract, or the caller is not one of its parties (never revealed). */
export class ContractNotFound extends domainError('CONTRACT_NOT_FOUND', 404, 'Contract not found') {}
/** Declared and used variables without a value (details: `{ names }`): never an empty gap in a contract. */
export class ContractVariablesMissing extends domainError('CONTRACT_VARIABLES_MISSING', 400, 'Some variables have no value') {}
/** Values for variables the template does not declare (details: `{ names }`). */
export class ContractVariablesUnknown extends domainError(
  'CONTRACT_VARIABLES_UNKNOWN',
  400,
  'Some values are for variables the template does not declare',
) {}
/** A value is too long or contains control characters (details: `{ names }`). */
export class ContractVariableInvalid extends domainError(
  'CONTRACT_VARIABLE_INVALID',
  400,
  'Some values are invalid: at most 4000 characters, and no control characters other than line breaks',
) {}
/** The session is not one the lawyer has been paid for (unpaid, cancelled or expired). */
export class ContractSessionNotEligible extends domainError(
  'CONTRACT_SESSION_NOT_ELIGIBLE',
  409,
  'A contract can only be made for a paid session',
) {}
export class ContractNotDraft extends domainError('CONTRACT_NOT_DRAFT', 409, 'Only a draft contract can be edited or sent') {}
/** Every mutating route on an executed contract: it never changes again. */
export class ContractExecuted extends domainError(
  'CONTRACT_EXECUTED',
  409,
  'The contract is executed and can no longer change',
) {}
/** Declined, voided or expired. */
export class ContractClosed extends domainError('CONTRACT_CLOSED', 409, 'The contract is closed (declined, voided or expired)') {}
/** A draft has not been sent for signature yet. */
export class ContractNotSignable extends domainError(
  'CONTRACT_NOT_SIGNABLE',
  409,
  'The contract has not been sent for signature',
) {}
/** The hash given is not the current version's: the document read is not the one to sign. */
export class ContractVersionStale extends domainError(
  'CONTRACT_VERSION_STALE',
  409,
  'This is not the current version of the contract; reload it and read the current version',
) {}
export class ContractAlreadySigned extends domainError('CONTRACT_ALREADY_SIGNED', 409, 'You have already signed this contract') {}
export class ContractNotViewed extends domainError(
  'CONTRACT_NOT_VIEWED',
  409,
  'Open and read the current version before signing it',
) {}
export class ContractConsentRequired extends domainError(
  'CONTRACT_CONSENT_REQUIRED',
  400,
  'Agree to sign electronically (consent must be true) to sign',
) {}
/** The typed name or the drawing is unusable. */
export class ContractSignatureInvalid extends domainError('CONTRACT_SIGNATURE_INVALID', 400, 'The signature is invalid') {}
export class ContractNotExecuted extends domainError('CONTRACT_NOT_EXECUTED', 409, 'The contract has not been executed yet') {}

/** Every code of this module (for exhaustive handling). */
export type ContractsErrorCode =
  | 'TEMPLATE_NOT_FOUND'
  | 'TEMPLATE_SYNTAX_INVALID'
  | 'TEMPLATE_VARIABLES_UNDECLARED'
  | 'TEMPLATE_ARCHIVED'
  | 'CONTRACT_NOT_FOUND'
  | 'CONTRACT_VARIABLES_MISSING'
  | 'CONTRACT_VARIABLES_UNKNOWN'
  | 'CONTRACT_VARIABLE_INVALID'
  | 'CONTRACT_SESSION_NOT_ELIGIBLE'
  | 'CONTRACT_NOT_DRAFT'
  | 'CONTRACT_EXECUTED'
  | 'CONTRACT_CLOSED'
  | 'CONTRACT_NOT_SIGNABLE'
  | 'CONTRACT_VERSION_STALE'
  | 'CONTRACT_ALREADY_SIGNED'
  | 'CONTRACT_NOT_VIEWED'
  | 'CONTRACT_CONSENT_REQUIRED'
  | 'CONTRACT_SIGNATURE_INVALID'
  | 'CONTRACT_NOT_EXECUTED';
