import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { API_PREFIX } from '../../app.setup';
import { LICENCE_UPLOAD_CONTENT_TYPES, MAX_LICENCE_BYTES } from './licence-document';
import { MAX_PHOTO_BYTES, PHOTO_UPLOAD_CONTENT_TYPES } from './photo-image';

/** The routes that take a raw binary body. */
export const PHOTO_UPLOAD_PATH = `/${API_PREFIX}/lawyer/profile/photo`;
export const LICENCE_UPLOAD_PATH = `/${API_PREFIX}/lawyer/profile/licence`;

/** Per route: the content types it takes raw, and its size limit. */
const RAW_ROUTES: Record<string, { types: readonly string[]; limit: number }> = {
  [PHOTO_UPLOAD_PATH]: { types: PHOTO_UPLOAD_CONTENT_TYPES, limit: MAX_PHOTO_BYTES },
  [LICENCE_UPLOAD_PATH]: { types: LICENCE_UPLOAD_CONTENT_TYPES, limit: MAX_LICENCE_BYTES },
};

/**
 * Fastify only parses JSON (and text) bodies. This registers a raw-bytes parser for the image
 * and document types and application/octet-stream, usable on the two upload routes only (the
 * photo: images up to 2 MB; the licence: PDF, PNG or JPEG up to 5 MB): on any other route, or
 * with a type that route does not take, those content types stay a 415, as before.
 * (A provider's constructor runs before Nest registers its routes, so the parser is in place.)
 */
@Injectable()
export class PhotoUploadParser {
  constructor(adapterHost: HttpAdapterHost) {
    const fastify = adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || fastify.hasContentTypeParser('application/octet-stream')) return;
    const types = [...new Set([...PHOTO_UPLOAD_CONTENT_TYPES, ...LICENCE_UPLOAD_CONTENT_TYPES])];
    const bodyLimit = Math.max(...Object.values(RAW_ROUTES).map((r) => r.limit));
    fastify.addContentTypeParser(types, { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
      const route = RAW_ROUTES[request.routeOptions.url ?? ''];
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!route || !route.types.includes(type)) {
        const error = Object.assign(new Error('Unsupported Content-Type'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
        done(error, undefined);
        return;
      }
      if (body.length > route.limit) {
        const error = Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
        done(error, undefined);
        return;
      }
      done(null, body);
    });
  }
}
