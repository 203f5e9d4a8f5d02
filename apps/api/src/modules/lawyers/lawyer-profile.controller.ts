import { Body, Controller, Get, Headers, Put } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { LawyerProfileResponse, toLawyerProfileResponse } from './dto/lawyer-profile.response';
import { UpdateLawyerProfileDto } from './dto/update-lawyer-profile.dto';
import { LawyersService } from './lawyers.service';
import { LICENCE_UPLOAD_CONTENT_TYPES } from './licence-document';
import { PHOTO_UPLOAD_CONTENT_TYPES } from './photo-image';

@ApiTags('lawyers')
@Roles(Role.LAWYER)
@Controller('lawyer/profile')
export class LawyerProfileController {
  constructor(private readonly lawyers: LawyersService) {}

  @Get()
  @Scopes('profile:read')
  @ApiOperation({ operationId: 'getOwnLawyerProfile', summary: 'The caller’s lawyer profile and verification status (LAWYER).' })
  @ApiOkResponse({ type: LawyerProfileResponse })
  async get(@CurrentUser() actor: AuthUser): Promise<LawyerProfileResponse> {
    return toLawyerProfileResponse(await this.lawyers.getOwn(actor));
  }

  @Put()
  @Scopes('profile:write')
  @ApiOperation({
    operationId: 'updateOwnLawyerProfile',
    summary: 'Replace the caller’s profile (LAWYER). A REJECTED profile, or a VERIFIED one whose bar number or bar changes, goes back to PENDING_VERIFICATION.',
  })
  @ApiOkResponse({ type: LawyerProfileResponse })
  async update(@CurrentUser() actor: AuthUser, @Body() body: UpdateLawyerProfileDto): Promise<LawyerProfileResponse> {
    return toLawyerProfileResponse(await this.lawyers.updateOwn(actor, body));
  }

  @Put('photo')
  @Scopes('profile:write')
  @ApiOperation({
    operationId: 'updateOwnLawyerPhoto',
    summary: 'Upload the caller’s photo as raw bytes (LAWYER): JPEG, PNG or WebP (checked by content), at most 2 MB.',
  })
  @ApiConsumes(...PHOTO_UPLOAD_CONTENT_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: LawyerProfileResponse })
  @ApiErrorResponses(413, 415)
  async updatePhoto(@CurrentUser() actor: AuthUser, @Body() body: Buffer, @Headers('content-type') contentType?: string): Promise<LawyerProfileResponse> {
    const declaredType = contentType?.split(';')[0]?.trim().toLowerCase();
    return toLawyerProfileResponse(await this.lawyers.updatePhoto(actor, { bytes: body, declaredType }));
  }

  @Put('licence')
  @Scopes('profile:write')
  @ApiOperation({
    operationId: 'updateOwnLawyerLicence',
    summary: 'Upload the caller’s bar licence document as raw bytes (LAWYER): PDF, PNG or JPEG (checked by content), at most 5 MB.',
    description:
      'Only admins can download it (each download is audited). A new document sends a VERIFIED or REJECTED profile back to PENDING_VERIFICATION. ' +
      'Another type → 415 LICENCE_TYPE_UNSUPPORTED; larger → 413 PAYLOAD_TOO_LARGE.',
  })
  @ApiConsumes(...LICENCE_UPLOAD_CONTENT_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: LawyerProfileResponse })
  @ApiErrorResponses(413, 415)
  async updateLicence(@CurrentUser() actor: AuthUser, @Body() body: Buffer, @Headers('content-type') contentType?: string): Promise<LawyerProfileResponse> {
    const declaredType = contentType?.split(';')[0]?.trim().toLowerCase();
    return toLawyerProfileResponse(await this.lawyers.updateLicence(actor, { bytes: body, declaredType }));
  }
}
