import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { API_PREFIX } from '../../app.setup';
import { registerRawBodyRoutes } from '../../common/http/raw-body-routes';
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
 * Declares the two upload routes that take raw bytes (the photo: images up to 2 MB; the
 * licence: PDF, PNG or JPEG up to 5 MB) in the app's raw-body route registry: on any other
 * route, or with a type that route does not take, those content types stay a 415.
 */
@Injectable()
export class PhotoUploadParser {
  constructor(adapterHost: HttpAdapterHost) {
    const fastify = adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    registerRawBodyRoutes(
      fastify,
      Object.entries(RAW_ROUTES).map(([url, r]) => ({ url, types: r.types, limit: r.limit, mode: 'buffer' as const })),
    );
  }
}
