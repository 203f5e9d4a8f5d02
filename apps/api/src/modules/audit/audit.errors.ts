import { domainError } from '../../common/errors/domain-error';

/** The chain does not verify, so the head cannot be signed (a checkpoint would launder the damage). */
export class AuditChainBroken extends domainError(
  'AUDIT_CHAIN_BROKEN',
  409,
  'The audit chain does not verify; no checkpoint was signed',
) {}

/** No checkpoint has been signed yet. */
export class AuditCheckpointNotFound extends domainError('AUDIT_CHECKPOINT_NOT_FOUND', 404, 'No audit checkpoint exists yet') {}
