import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import {
  AttendanceResponse,
  JoinVideoDto,
  RecordingConsentDto,
  toAttendanceResponse,
  toVideoJoinResponse,
  toVideoRoomResponse,
  VideoJoinResponse,
  VideoRoomResponse,
} from './dto/video.dto';
import { VideoService } from './video.service';

/** A session's video call, for its two participants (anyone else: 404). */
@ApiTags('video')
@Controller('sessions')
export class VideoController {
  constructor(private readonly video: VideoService) {}

  @Get(':id/video')
  @Roles(Role.CLIENT, Role.LAWYER, Role.ADMIN)
  @Scopes('sessions:read')
  @ApiOperation({ operationId: 'getSessionVideo', summary: 'The call of a session: provider, join window, whether the caller may join now, recording consent.' })
  @ApiOkResponse({ type: VideoRoomResponse })
  @ApiErrorResponses(400, 404)
  async state(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<VideoRoomResponse> {
    return toVideoRoomResponse(await this.video.state(actor, id));
  }

  @Post(':id/video/join')
  @HttpCode(200)
  @Roles(Role.CLIENT, Role.LAWYER)
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @ApiOperation({
    operationId: 'joinSessionVideo',
    summary:
      'Join the call: from 10 minutes before the start until the end plus the grace period (409 VIDEO_JOIN_TOO_EARLY / VIDEO_JOIN_CLOSED). ' +
      'Returns the room, the caller’s opaque identity and, for Twilio, a token for this room only that expires when the window closes. The first join starts the session (IN_PROGRESS).',
  })
  @ApiOkResponse({ type: VideoJoinResponse })
  @ApiErrorResponses(400, 404, 409, 503)
  async join(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string, @Body() body: JoinVideoDto): Promise<VideoJoinResponse> {
    return toVideoJoinResponse(await this.video.join(actor, id, { recordingConsent: body.recordingConsent }));
  }

  @Put(':id/video/consent')
  @Roles(Role.CLIENT, Role.LAWYER)
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @ApiOperation({ operationId: 'setSessionRecordingConsent', summary: 'Give or withdraw the caller’s consent to recording; recording runs only while both consent.' })
  @ApiOkResponse({ type: VideoRoomResponse })
  @ApiErrorResponses(400, 404, 409, 503)
  async consent(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string, @Body() body: RecordingConsentDto): Promise<VideoRoomResponse> {
    return toVideoRoomResponse(await this.video.setConsent(actor, id, body.recordingConsent));
  }

  @Post(':id/video/leave')
  @HttpCode(204)
  @Roles(Role.CLIENT, Role.LAWYER)
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @ApiOperation({ operationId: 'leaveSessionVideo', summary: 'Leave the call (recorded in the attendance log); the other participant may stay.' })
  @ApiNoContentResponse()
  @ApiErrorResponses(400, 404, 409)
  async leave(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<void> {
    await this.video.leave(actor, id);
  }

  @Post(':id/video/end')
  @HttpCode(200)
  @Roles(Role.CLIENT, Role.LAWYER)
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @ApiOperation({ operationId: 'endSessionVideo', summary: 'The lawyer ends the session for both (COMPLETED); a client gets 403 VIDEO_END_LAWYER_ONLY.' })
  @ApiOkResponse({ type: VideoRoomResponse })
  @ApiErrorResponses(400, 403, 404, 409, 503)
  async end(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<VideoRoomResponse> {
    return toVideoRoomResponse(await this.video.end(actor, id));
  }

  @Get(':id/attendance')
  @Roles(Role.CLIENT, Role.LAWYER, Role.ADMIN)
  @Scopes('sessions:read')
  @ApiOperation({ operationId: 'getSessionAttendance', summary: 'Who joined and left the call, and when: the immutable attendance log (evidence for no-show reports).' })
  @ApiOkResponse({ type: AttendanceResponse })
  @ApiErrorResponses(400, 404)
  async attendance(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<AttendanceResponse> {
    return toAttendanceResponse(await this.video.attendance(actor, id));
  }
}
