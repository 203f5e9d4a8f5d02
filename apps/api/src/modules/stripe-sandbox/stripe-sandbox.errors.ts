import { domainError } from '../../common/errors/domain-error';

export class SandboxCheckoutNotFound extends domainError('SANDBOX_CHECKOUT_NOT_FOUND', 404, 'No such sandbox checkout') {}
