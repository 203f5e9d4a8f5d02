import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { API_PREFIX } from '../../../app.setup';
import { registerRawBodyRoutes } from '../../../common/http/raw-body-routes';
import { AppConfig } from '../../../config/app-config';

/** The route a browser sends recording chunks to, as raw bytes. */
export const RECORDING_CHUNK_PATH = `/${API_PREFIX}/sessions/:id/recordings/uploads/:uploadId/chunks/:index`;

/**
 * Declares the chunk route in the app's raw-body route registry: application/octet-stream,
 * passed to the handler as a stream (the chunk goes straight into the blob store), refused
 * with 413 past VIDEO_RECORDING_CHUNK_MAX_BYTES while it streams.
 */
@Injectable()
export class RecordingUploadParser {
  constructor(adapterHost: HttpAdapterHost, config: AppConfig) {
    const fastify = adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    registerRawBodyRoutes(fastify, [
      { url: RECORDING_CHUNK_PATH, types: ['application/octet-stream'], limit: config.VIDEO_RECORDING_CHUNK_MAX_BYTES, mode: 'stream' },
    ]);
  }
}
