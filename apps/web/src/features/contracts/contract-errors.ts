import { ApiError } from '@lm/api-client';
import { describeError } from '../../lib/errors';

/** An API error with the `details` of its body (e.g. `{ names }` of CONTRACT_VARIABLES_MISSING). */
export type DetailedApiError = ApiError & { details?: Record<string, unknown> };

/** The contract API's refusals (contracts.errors.ts), each answered in words below. */
export type ContractErrorCode =
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

/** Whether `error` is the API answering with `code`. */
export function isContractError(error: unknown, code: ContractErrorCode): error is DetailedApiError {
  return error instanceof ApiError && error.code === code;
}

/** The variable names a refusal lists (`details.names`), or none. */
export function namesOf(error: unknown): string[] {
  const names = (error as DetailedApiError | null)?.details?.names;
  return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
}

/** `details.message` of TEMPLATE_SYNTAX_INVALID: where the template language stumbled. */
function syntaxMessageOf(error: unknown): string | null {
  const message = (error as DetailedApiError | null)?.details?.message;
  return typeof message === 'string' && message ? message : null;
}

const list = (names: string[]) => names.join(', ');

/**
 * Why a contract or template request failed, for people; variable names are listed where the
 * API named them. Codes not about contracts fall back to the app's general wording.
 */
export function describeContractError(error: unknown): string {
  if (!(error instanceof ApiError)) return describeError(error).message;
  const names = namesOf(error);
  switch (error.code as ContractErrorCode) {
    case 'TEMPLATE_SYNTAX_INVALID': {
      // The API's detail says what and where ("Sections ({{#…}}) are not allowed… (at character 12)").
      const detail = syntaxMessageOf(error);
      return detail
        ? `${detail.replace(/\.$/, '')}.`
        : 'The template text cannot be used: only {{variable}} tags are allowed (no sections, comments or triple braces).';
    }
    case 'TEMPLATE_VARIABLES_UNDECLARED':
      return names.length
        ? `The text uses variables that are not declared: ${list(names)}. Add them to the variables table.`
        : 'The text uses variables that are not declared. Add them to the variables table.';
    case 'TEMPLATE_ARCHIVED':
      return 'This template is archived. Choose another template.';
    case 'TEMPLATE_NOT_FOUND':
      return 'This template no longer exists.';
    case 'CONTRACT_VARIABLES_MISSING':
      return names.length ? `Fill in: ${list(names)}.` : 'Some fields are still empty.';
    case 'CONTRACT_VARIABLES_UNKNOWN':
      return names.length
        ? `The template does not declare: ${list(names)}. Reload the page to get the template’s current fields.`
        : 'Some values are not used by this template. Reload the page.';
    case 'CONTRACT_VARIABLE_INVALID':
      return 'A value is too long (at most 4,000 characters) or contains characters that cannot be printed.';
    case 'CONTRACT_SESSION_NOT_ELIGIBLE':
      return 'A contract can be created only for a paid session.';
    case 'CONTRACT_NOT_DRAFT':
      return 'This contract is no longer a draft: it was sent for signature meanwhile.';
    case 'CONTRACT_EXECUTED':
      return 'This contract has been executed by both parties and can no longer change.';
    case 'CONTRACT_CLOSED':
      return 'This contract was declined, voided or has expired.';
    case 'CONTRACT_NOT_SIGNABLE':
      return 'This contract has not been sent for signature yet.';
    case 'CONTRACT_VERSION_STALE':
      return 'The document changed since you opened it. Read the current version before signing.';
    case 'CONTRACT_ALREADY_SIGNED':
      return 'You have already signed this contract.';
    case 'CONTRACT_NOT_VIEWED':
      return 'Open and read the document before signing it.';
    case 'CONTRACT_CONSENT_REQUIRED':
      return 'Tick the box to agree to sign electronically.';
    case 'CONTRACT_SIGNATURE_INVALID':
      return 'The signature was not accepted: type your full name (and, if you draw, draw inside the box).';
    case 'CONTRACT_NOT_EXECUTED':
      return 'The executed copy exists once every party has signed.';
    case 'CONTRACT_NOT_FOUND':
      return 'This contract does not exist or is not yours.';
    default:
      return describeError(error).message;
  }
}
