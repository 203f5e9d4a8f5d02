import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { API_PREFIX } from '../../app.setup';
import { MAX_PHOTO_BYTES, PHOTO_UPLOAD_CONTENT_TYPES } from './photo-image';

/** The one route that takes a raw binary body. */
export const PHOTO_UPLOAD_PATH = `/${API_PREFIX}/lawyer/profile/photo`;

/**
 * Fastify only parses JSON (and text) bodies. This registers a raw-bytes parser for the image
 * types and application/octet-stream, limited to 2 MB, and usable on the photo upload route
 * only: on any other route those content types stay a 415, as before.
 * (A provider's constructor runs before Nest registers its routes, so the parser is in place.)
 */
@Injectable()
export class PhotoUploadParser {
  constructor(adapterHost: HttpAdapterHost) {
    const fastify = adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || fastify.hasContentTypeParser('application/octet-stream')) return;
    fastify.addContentTypeParser([...PHOTO_UPLOAD_CONTENT_TYPES], { parseAs: 'buffer', bodyLimit: MAX_PHOTO_BYTES }, (request, body, done) => {
      if (request.routeOptions.url !== PHOTO_UPLOAD_PATH) {
        const error = Object.assign(new Error('Unsupported Content-Type'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
        done(error, undefined);
        return;
      }
      done(null, body);
    });
  }
}
