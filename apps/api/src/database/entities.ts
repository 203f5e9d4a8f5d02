import type { EntitySchema, MixedList } from 'typeorm';
import { AuditCheckpoint } from '../modules/audit/audit-checkpoint.entity';
import { AuditEvent } from '../modules/audit/audit-event.entity';
import { EmailMessage } from '../modules/mail/email-message.entity';
import { ApiKey } from '../modules/identity/api-key.entity';
import { RefreshToken } from '../modules/identity/refresh-token.entity';
import { User } from '../modules/identity/user.entity';
import { UserToken } from '../modules/identity/user-token.entity';

/** Every TypeORM entity of the app. Modules add theirs here so the app and the CLI agree. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const ENTITIES: MixedList<Function | string | EntitySchema> = [AuditEvent, AuditCheckpoint, User, RefreshToken, ApiKey, UserToken, EmailMessage];
