import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
  S3ClientConfig,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Logger, OnModuleDestroy } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { AppConfig } from '../../config/app-config';
import { assertValidBlobKey } from './blob-key';
import { BlobContent, BlobHead, BlobRange, BlobStore, DEFAULT_BLOB_CONTENT_TYPE, PutBlobOptions, PutBlobResult } from './blob-store';
import { DigestStream } from './digest-stream';
import { BlobNotFound, BlobRangeNotSatisfiable, rangeInside } from './storage.errors';

/**
 * Prefix of in-flight streamed uploads. `~` is outside the blob-key alphabet, so these keys can
 * never collide with a blob. Objects left here by a crash are garbage: give the bucket a
 * lifecycle rule expiring `~uploads/` after a day.
 */
export const S3_UPLOAD_PREFIX = '~uploads/';

/** Largest object a single CopyObject can copy; a bigger streamed put is refused by S3. */
const MAX_COPY_BYTES = 5 * 1024 ** 3;

/**
 * S3 client settings for this driver.
 *
 * Checksums only WHEN_REQUIRED: with the SDK default (WHEN_SUPPORTED) a PutObject whose body is
 * a stream is sent with `Content-Encoding: aws-chunked` and a checksum trailer; servers without
 * aws-chunked support (s3rver, some MinIO/Ceph versions) store the chunk framing as part of the
 * object, silently corrupting it. Integrity is covered end to end by our own SHA-256 instead.
 * (lib-storage's Upload sends parts as Buffers and is not affected today, but the setting
 * keeps any streamed request of this client safe.)
 */
export function s3ClientConfig(config: AppConfig): S3ClientConfig {
  const { S3_ACCESS_KEY_ID: accessKeyId, S3_SECRET_ACCESS_KEY: secretAccessKey } = config;
  return {
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    forcePathStyle: config.S3_FORCE_PATH_STYLE, // path-style for MinIO and other self-hosted servers
    // Without static keys the SDK's default chain applies (instance roles, env, profiles).
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

/**
 * S3-compatible driver (AWS S3, MinIO). The bucket must exist; it is provisioned outside the
 * app (docker-compose's minio-init, infrastructure code), never created on start-up.
 *
 * Where the SHA-256 lives: in the object's user metadata (`x-amz-meta-sha256`), so `head` needs
 * one request and the hash travels with the object. A Buffer's hash is known before sending,
 * so it goes in with the upload itself. A stream's hash is known only after its last byte has
 * been sent, and S3 metadata cannot be changed in place, so a streamed put uploads to a
 * temporary key under S3_UPLOAD_PREFIX, then a server-side CopyObject writes the final key with
 * the metadata, and the temporary object is deleted. Compared with copying the object onto
 * itself: the final key appears in one step with its hash (never without), a failed upload
 * leaves a previous blob untouched, and two concurrent puts of one key cannot pair one's bytes
 * with the other's hash (last writer wins, consistently). The price is a server-side copy
 * (no bytes pass through this process twice) and the 5 GiB CopyObject limit on streamed puts.
 */
export class S3BlobStore extends BlobStore implements OnModuleDestroy {
  private readonly logger = new Logger(S3BlobStore.name);
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(config: AppConfig) {
    super();
    if (!config.S3_BUCKET) throw new Error('S3_BUCKET is required when BLOB_DRIVER=s3');
    this.bucket = config.S3_BUCKET;
    this.client = new S3Client(s3ClientConfig(config));
  }

  async put(key: string, body: Readable | Buffer, opts: PutBlobOptions = {}): Promise<PutBlobResult> {
    assertValidBlobKey(key);
    const contentType = opts.contentType ?? DEFAULT_BLOB_CONTENT_TYPE;

    if (Buffer.isBuffer(body)) {
      const sha256 = createHash('sha256').update(body).digest('hex');
      await this.upload(key, body, contentType, sha256);
      return { key, sha256, size: body.length };
    }

    const digest = new DigestStream();
    // Errors of the source destroy the digest, which fails the upload; a failing upload
    // destroys the digest (below), which destroys the source.
    body.on('error', (e) => digest.destroy(e));
    body.pipe(digest);
    const tempKey = `${S3_UPLOAD_PREFIX}${randomUUID()}`;
    try {
      await this.upload(tempKey, digest, contentType);
      const { sha256, size } = digest.result();
      if (size > MAX_COPY_BYTES) throw new Error('Streamed blobs larger than 5 GiB are not supported by the S3 driver');
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: key,
          CopySource: `${this.bucket}/${tempKey}`, // temp keys need no URL-encoding
          MetadataDirective: 'REPLACE',
          ContentType: contentType,
          Metadata: { sha256 },
        }),
      );
      return { key, sha256, size };
    } catch (e) {
      digest.destroy();
      body.destroy();
      throw e;
    } finally {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: tempKey })).catch((e: unknown) => {
        this.logger.warn(`Could not delete temporary upload ${tempKey}: ${e instanceof Error ? e.message : String(e)}`);
      });
    }
  }

  async get(key: string, range?: BlobRange): Promise<BlobContent> {
    assertValidBlobKey(key);
    if (range && !rangeInside(range, Number.MAX_SAFE_INTEGER)) throw new BlobRangeNotSatisfiable();
    try {
      const res = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      if (!(res.Body instanceof Readable)) throw new Error('S3 GetObject returned no Node.js stream');
      if (!range) return { stream: res.Body, size: res.ContentLength ?? 0, contentType: res.ContentType };
      // S3 shortens a range that runs past the end ("bytes 0-9/5"); the contract refuses it instead.
      const total = Number(/\/(\d+)$/.exec(res.ContentRange ?? '')?.[1]);
      if (!Number.isSafeInteger(total) || !rangeInside(range, total)) {
        res.Body.destroy();
        throw new BlobRangeNotSatisfiable();
      }
      return { stream: res.Body, size: total, contentType: res.ContentType };
    } catch (e) {
      if (isNoSuchKey(e)) throw new BlobNotFound();
      if (e instanceof S3ServiceException && e.name === 'InvalidRange') throw new BlobRangeNotSatisfiable();
      throw e;
    }
  }

  async head(key: string): Promise<BlobHead | null> {
    assertValidBlobKey(key);
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { key, size: res.ContentLength ?? 0, contentType: res.ContentType, sha256: res.Metadata?.['sha256'] };
    } catch (e) {
      if (isNoSuchKey(e)) return null;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidBlobKey(key);
    // S3 answers 204 for a missing key as well.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  onModuleDestroy(): void {
    this.client.destroy();
  }

  /** lib-storage streams `body` in parts (multipart above 5 MiB, at most 4 parts in memory). */
  private async upload(key: string, body: Readable | Buffer, contentType: string, sha256?: string): Promise<void> {
    await new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, Metadata: sha256 ? { sha256 } : undefined },
    }).done();
  }
}

/** GetObject reports a missing key as NoSuchKey; HeadObject (no response body) as NotFound. */
function isNoSuchKey(e: unknown): boolean {
  return e instanceof S3ServiceException && (e.name === 'NoSuchKey' || e.name === 'NotFound');
}
