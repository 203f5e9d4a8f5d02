import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { UuidParam } from '../../common/http/uuid-param';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';

import { AdminLawyerPageResponse, AdminLawyerResponse, toAdminLawyerResponse } from './dto/lawyer-profile.response';
import { ListLawyersQueryDto } from './dto/list-lawyers.query.dto';
import { RejectLawyerDto } from './dto/reject-lawyer.dto';
import { LawyersService } from './lawyers.service';
import { LICENCE_CONTENT_TYPES } from './licence-document';
import { PHOTO_CONTENT_TYPES } from './photo-image';

@ApiTags('admin')
@Roles(Role.ADMIN)
@Controller('admin/lawyers')
export class AdminLawyersController {
  constructor(private readonly lawyers: LawyersService) {}

  @Get()
  @Scopes('admin')
  @ApiOperation({ operationId: 'listLawyers', summary: 'Lawyer profiles, optionally by status: the verification queue (status=PENDING_VERIFICATION) oldest first, any other list latest change first.' })
  @ApiOkResponse({ type: AdminLawyerPageResponse })
  async list(@Query() query: ListLawyersQueryDto): Promise<AdminLawyerPageResponse> {
    const { items, total } = await this.lawyers.list(query);
    return { items: items.map(toAdminLawyerResponse), total, page: query.page, pageSize: query.pageSize };
  }

  @Get(':id')
  @Scopes('admin')
  @ApiOperation({ operationId: 'getLawyerForAdmin', summary: 'One lawyer’s full profile, whatever its status, for the verification view (ADMIN).' })
  @ApiOkResponse({ type: AdminLawyerResponse })
  @ApiErrorResponses(404)
  async get(@Param('id', UuidParam('id')) id: string): Promise<AdminLawyerResponse> {
    return toAdminLawyerResponse(await this.lawyers.getForAdmin(id));
  }

  @Get(':id/photo')
  @Scopes('admin')
  @ApiOperation({ operationId: 'getLawyerPhotoForAdmin', summary: 'Any lawyer’s photo, pending ones included (ADMIN).' })
  @ApiProduces(...PHOTO_CONTENT_TYPES)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiErrorResponses(404)
  async photo(@Param('id', UuidParam('id')) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const photo = await this.lawyers.getPhotoForAdmin(id);
    void reply.header('etag', `"${photo.sha256}"`).header('cache-control', 'private, no-store');
    return new StreamableFile(photo.stream, { type: photo.contentType, length: photo.size });
  }

  @Get(':id/licence')
  @Scopes('admin')
  @ApiOperation({
    operationId: 'downloadLawyerLicence',
    summary: 'The lawyer’s uploaded licence document (ADMIN); every download is audited as lawyer.licence_downloaded.',
  })
  @ApiProduces(...LICENCE_CONTENT_TYPES)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiErrorResponses(404)
  async licence(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const doc = await this.lawyers.getLicenceForAdmin(actor, id);
    void reply
      .header('etag', `"${doc.sha256}"`)
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff');
    return new StreamableFile(doc.stream, { type: doc.contentType, length: doc.size, disposition: `inline; filename="${doc.fileName}"` });
  }

  @Post(':id/verify')
  @Scopes('admin')
  @HttpCode(200)
  @ApiOperation({ operationId: 'verifyLawyer', summary: 'Verify a pending lawyer: the profile becomes public. Audited as lawyer.verified.' })
  @ApiOkResponse({ type: AdminLawyerResponse })
  @ApiErrorResponses(404, 409)
  async verify(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<AdminLawyerResponse> {
    return toAdminLawyerResponse(await this.lawyers.verify(actor, id));
  }

  @Post(':id/reject')
  @Scopes('admin')
  @HttpCode(200)
  @ApiOperation({ operationId: 'rejectLawyer', summary: 'Reject a pending (or revoke a verified) lawyer with a reason shown to them. Audited as lawyer.rejected.' })
  @ApiOkResponse({ type: AdminLawyerResponse })
  @ApiErrorResponses(404, 409)
  async reject(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string, @Body() body: RejectLawyerDto): Promise<AdminLawyerResponse> {
    return toAdminLawyerResponse(await this.lawyers.reject(actor, id, body.reason));
  }
}
