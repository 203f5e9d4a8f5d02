import { Controller, Get, Headers, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../../common/http/api-error-responses.decorator';
import { RECORDING_MEDIA_TYPES, sendMedia } from './recordings.controller';
import { RecordingMediaService } from './recording-media.service';

/**
 * Recording media by a short-lived signed link (POST …/recordings/:id/media-link): for the
 * browser's media player, which cannot send a Bearer header. The link is the credential; it
 * names the user it was issued to, whose access is checked again and who is named in the audit.
 */
@ApiTags('recordings')
@Public()
@Controller('recordings')
export class RecordingMediaController {
  constructor(private readonly media: RecordingMediaService) {}

  @Get('media/:token')
  @ApiOperation({
    operationId: 'getRecordingMediaByLink',
    summary: 'A recording’s media by a media link (no Authorization header); `Range` → 206. Audited as recording.accessed under the user the link was issued to.',
  })
  @ApiParam({ name: 'token', schema: { type: 'string', maxLength: 500 } })
  @ApiHeader({ name: 'Range', required: false, description: 'One byte range, e.g. bytes=0-1048575', schema: { type: 'string' } })
  @ApiProduces(...RECORDING_MEDIA_TYPES)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'The whole recording' })
  @ApiResponse({ status: 206, schema: { type: 'string', format: 'binary' }, description: 'The requested range' })
  @ApiErrorResponses(403, 404, 416)
  async byLink(@Param('token') token: string, @Headers('range') range: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    return sendMedia(reply, await this.media.openByLink(token, range));
  }
}
