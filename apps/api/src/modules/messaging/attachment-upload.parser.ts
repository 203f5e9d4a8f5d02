import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { API_PREFIX } from '../../app.setup';
import { registerRawBodyRoutes } from '../../common/http/raw-body-routes';
import { AttachmentTooLarge } from './messaging.errors';
import { ATTACHMENT_MAX_BYTES } from './messaging-rules';

/** The route an encrypted attachment is uploaded to, as raw bytes. */
export const ATTACHMENT_UPLOAD_PATH = `/${API_PREFIX}/conversations/:id/attachments/:attachmentId`;

/**
 * Declares the attachment upload in the app's raw-body route registry: application/octet-stream,
 * handed to the handler as a stream (it goes straight into the blob store), refused with 413
 * ATTACHMENT_TOO_LARGE past 26214416 bytes, by its Content-Length or while it streams.
 */
@Injectable()
export class AttachmentUploadParser {
  constructor(adapterHost: HttpAdapterHost) {
    const fastify = adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    registerRawBodyRoutes(fastify, [
      {
        url: ATTACHMENT_UPLOAD_PATH,
        types: ['application/octet-stream'],
        limit: ATTACHMENT_MAX_BYTES,
        mode: 'stream',
        tooLarge: () => new AttachmentTooLarge(),
      },
    ]);
  }
}
