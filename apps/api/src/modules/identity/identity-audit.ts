import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit';

/** The identity module's audit actions, as recorded in the hash-chained trail. */
export interface IdentityAuditEntry {
  actorId: string | null;
  action:
    | 'user.registered'
    | 'user.created'
    | 'user.profile_updated'
    | 'user.password_changed'
    | 'user.password_reset_requested'
    | 'user.password_reset'
    | 'user.email_verified'
    | 'user.suspended'
    | 'user.reactivated'
    | 'auth.login.succeeded'
    | 'auth.login.failed'
    | 'auth.refresh_token.reused'
    | 'auth.logout'
    | 'api_key.created'
    | 'api_key.revoked';
  subjectType: 'user' | 'api_key';
  subjectId: string | null;
  /** Identifiers and facts only: never passwords, tokens or keys. */
  payload?: Record<string, unknown>;
}

/**
 * Every identity state change is recorded here, inside the transaction that makes it (each
 * call site is marked `// audit:`), so the entry exists if and only if the change commits.
 * A typed list of actions keeps the names consistent across the module.
 */
@Injectable()
export class IdentityAudit {
  constructor(private readonly audit: AuditService) {}

  async record(manager: EntityManager, entry: IdentityAuditEntry): Promise<void> {
    await this.audit.record(manager, entry);
  }
}
