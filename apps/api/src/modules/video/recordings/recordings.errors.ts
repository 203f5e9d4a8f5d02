import { domainError } from '../../../common/errors/domain-error';

/** No such upload of the caller in this session (someone else's, or none): the 404 of a thing that does not exist. */
export class RecordingUploadNotFound extends domainError('RECORDING_UPLOAD_NOT_FOUND', 404, 'Recording upload not found') {}
/** No such recording in this session (or it is not available yet). */
export class RecordingNotFound extends domainError('RECORDING_NOT_FOUND', 404, 'Recording not found') {}
/** The provider records the call itself (Twilio): browsers do not upload recordings. */
export class RecordingUploadNotSupported extends domainError(
  'RECORDING_UPLOAD_NOT_SUPPORTED',
  409,
  'This deployment’s video provider records calls itself; browsers do not upload recordings',
) {}
/** The X-Chunk-Sha256 header is missing or is not 64 hexadecimal digits. */
export class ChunkHashRequired extends domainError('CHUNK_HASH_REQUIRED', 400, 'Send the chunk’s SHA-256 (64 hex digits) in the X-Chunk-Sha256 header') {}
/** The chunk's bytes do not hash to the announced SHA-256: nothing was kept. */
export class ChunkHashMismatch extends domainError('CHUNK_HASH_MISMATCH', 422, 'The chunk’s bytes do not match its SHA-256; send it again') {}
/** Different bytes for a chunk index that was already received. */
export class ChunkConflict extends domainError('CHUNK_CONFLICT', 409, 'A different chunk was already received at this index') {}
/** Chunks sent to an upload that is already complete. */
export class UploadAlreadyComplete extends domainError('UPLOAD_ALREADY_COMPLETE', 409, 'This upload is already complete') {}
/** Completing an upload whose chunks 0..n-1 are not all there (the message lists the missing ones). */
export class UploadIncomplete extends domainError('UPLOAD_INCOMPLETE', 409, 'Some chunks of this upload are missing') {}
/** Completing an upload with fewer chunks than were received. */
export class UploadChunkCountMismatch extends domainError('UPLOAD_CHUNK_COUNT_MISMATCH', 409, 'More chunks were received than the count given') {}
/** A media link that is malformed or not signed by us. */
export class MediaLinkInvalid extends domainError('MEDIA_LINK_INVALID', 404, 'This media link is not valid') {}
/** A media link past its expiry: ask for a new one. */
export class MediaLinkExpired extends domainError('MEDIA_LINK_EXPIRED', 403, 'This media link has expired; open the recording again') {}
/** A Range header we cannot serve (several ranges, or outside the recording). */
export class RangeNotSatisfiable extends domainError('RANGE_NOT_SATISFIABLE', 416, 'The requested range is not satisfiable') {}
/** A chunk sent as anything but raw application/octet-stream bytes. */
export class ChunkNotBinary extends domainError('UNSUPPORTED_MEDIA_TYPE', 415, 'Send the chunk as raw bytes with Content-Type: application/octet-stream') {}
/** A chunk index that is not an integer from 0 to 99999. */
export class ChunkIndexInvalid extends domainError('CHUNK_INDEX_INVALID', 400, 'The chunk index must be an integer from 0 to 99999') {}
