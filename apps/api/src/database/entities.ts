import type { EntitySchema, MixedList } from 'typeorm';
import { EmailMessage } from '../modules/mail/email-message.entity';

/** Every TypeORM entity of the app. Modules add theirs here so the app and the CLI agree. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const ENTITIES: MixedList<Function | string | EntitySchema> = [EmailMessage];
