import { domainError } from '../../common/errors/domain-error';

/** No blob is stored under the requested key. */
export class BlobNotFound extends domainError('BLOB_NOT_FOUND', 404, 'Blob not found') {}

/** The key breaks the rules in `blob-key.ts`. The message never echoes the key. */
export class BlobKeyInvalid extends domainError('BLOB_KEY_INVALID', 400, 'Invalid blob key') {}
