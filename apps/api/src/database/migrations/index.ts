import { Foundation1764000000000 } from './1764000000000-Foundation';
import { MailOutbox1764300000000 } from './1764300000000-MailOutbox';

/** Every migration, in order. Listed explicitly (not globbed) so bundling and tests load the same set. */
export const MIGRATIONS = [Foundation1764000000000, MailOutbox1764300000000];
