import { Controller, Get, Param, Res, StreamableFile } from '@nestjs/common';
import { UuidParam } from '../../common/http/uuid-param';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';

import { LawyersService } from './lawyers.service';
import { PHOTO_CONTENT_TYPES } from './photo-image';

/** Public photo of a verified lawyer. The profile itself (`GET /api/lawyers/:id`, with offerings) is served by the marketplace module. */
@ApiTags('lawyers')
@Public()
@Controller('lawyers')
export class LawyersPublicController {
  constructor(private readonly lawyers: LawyersService) {}

  @Get(':id/photo')
  @ApiOperation({ operationId: 'getLawyerPhoto', summary: 'A verified lawyer’s photo (ETag is its SHA-256); 404 otherwise.' })
  @ApiProduces(...PHOTO_CONTENT_TYPES)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiErrorResponses(404)
  async photo(@Param('id', UuidParam('id')) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const photo = await this.lawyers.getVisiblePhoto(id);
    void reply.header('etag', `"${photo.sha256}"`);
    return new StreamableFile(photo.stream, { type: photo.contentType, length: photo.size });
  }
}
