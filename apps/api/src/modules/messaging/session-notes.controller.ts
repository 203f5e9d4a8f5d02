import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../common/auth/auth-user';
import { Authenticated, CurrentUser, Scopes } from '../../common/auth/auth.decorators';
import { ValidationFailed } from '../../common/errors/common.errors';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { SaveNoteDto } from './dto/conversations.dto';
import { NoteResponse, SessionNotesResponse, toNoteResponse } from './dto/conversations.response';
import type { NoteKind } from './session-notes.repository';
import { SessionNotesService } from './session-notes.service';

const KIND_IN_PATH: Record<string, NoteKind> = { agenda: 'AGENDA', private: 'PRIVATE' };

/**
 * A session's encrypted notes: the agenda its client and lawyer share, and each one’s private
 * note. Participants only (404 SESSION_NOT_FOUND for anyone else, and before the pair's
 * conversation exists).
 */
@ApiTags('messaging')
@Controller('sessions')
@Authenticated()
export class SessionNotesController {
  constructor(private readonly notes: SessionNotesService) {}

  @Get(':sessionId/notes')
  @Scopes('messages:read')
  @ApiOperation({
    operationId: 'getSessionNotes',
    summary:
      'The session’s agenda and the caller’s own private note (ciphertext, encrypted with the conversation key); never the other participant’s private note.',
  })
  @ApiOkResponse({ type: SessionNotesResponse })
  @ApiErrorResponses(400, 404)
  async read(
    @CurrentUser() actor: AuthUser,
    @Param('sessionId', UuidParam('sessionId')) sessionId: string,
  ): Promise<SessionNotesResponse> {
    const notes = await this.notes.read(actor, sessionId);
    return {
      conversationId: notes.conversationId,
      agenda: notes.agenda ? toNoteResponse(notes.agenda) : null,
      private: notes.private ? toNoteResponse(notes.private) : null,
    };
  }

  @Put(':sessionId/notes/:kind')
  @Scopes('messages:write')
  @ApiOperation({
    operationId: 'saveSessionNote',
    summary:
      'Saves the next version of the agenda or of the caller’s private note: `version` must be the saved one + 1 (409 NOTE_VERSION_CONFLICT with ' +
      '`details.current`). 409 E2EE_EPOCH_STALE, 400 E2EE_CIPHERTEXT_SIZE (padded sizes up to 16400 bytes), 400 E2EE_DEVICE_INVALID.',
  })
  @ApiParam({ name: 'kind', enum: ['agenda', 'private'] })
  @ApiOkResponse({ type: NoteResponse })
  @ApiErrorResponses(400, 404, 409)
  async save(
    @CurrentUser() actor: AuthUser,
    @Param('sessionId', UuidParam('sessionId')) sessionId: string,
    @Param('kind') kindParam: string,
    @Body() body: SaveNoteDto,
  ): Promise<NoteResponse> {
    const kind = KIND_IN_PATH[kindParam];
    if (!kind || !Object.hasOwn(KIND_IN_PATH, kindParam))
      throw new ValidationFailed([{ field: 'kind', messages: ['kind must be agenda or private'] }]);
    return toNoteResponse(await this.notes.save(actor, sessionId, kind, body));
  }
}
