import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { UuidParam } from '../../../common/http/uuid-param';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { AuthUser } from '../../../common/auth/auth-user';
import { CurrentUser, Roles, Scopes } from '../../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../../common/http/api-error-responses.decorator';

import { CreateOfferingDto, OfferingResponse, toOfferingResponse, UpdateOfferingDto } from '../dto/offering.dto';
import { OfferingsService } from './offerings.service';

@ApiTags('marketplace')
@Roles(Role.LAWYER)
@Controller('lawyer/offerings')
export class LawyerOfferingsController {
  constructor(private readonly offerings: OfferingsService) {}

  @Get()
  @Scopes('profile:read')
  @ApiOperation({ operationId: 'listOwnOfferings', summary: 'The caller’s offerings, active first (LAWYER).' })
  @ApiOkResponse({ type: [OfferingResponse] })
  async list(@CurrentUser() actor: AuthUser): Promise<OfferingResponse[]> {
    return (await this.offerings.listOwn(actor)).map(toOfferingResponse);
  }

  @Post()
  @Scopes('profile:write')
  @ApiOperation({
    operationId: 'createOffering',
    summary:
      'Create an offering: a consultation of 15–240 minutes at a price in minor units (LAWYER). Audited as offering.created.',
  })
  @ApiCreatedResponse({ type: OfferingResponse })
  @ApiErrorResponses(400, 409)
  async create(@CurrentUser() actor: AuthUser, @Body() body: CreateOfferingDto): Promise<OfferingResponse> {
    return toOfferingResponse(await this.offerings.create(actor, body));
  }

  @Patch(':id')
  @Scopes('profile:write')
  @ApiOperation({
    operationId: 'updateOffering',
    summary:
      'Change or deactivate one of the caller’s offerings (LAWYER). Sessions already sold keep their terms. Audited as offering.updated.',
  })
  @ApiOkResponse({ type: OfferingResponse })
  @ApiErrorResponses(400, 404)
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Body() body: UpdateOfferingDto,
  ): Promise<OfferingResponse> {
    return toOfferingResponse(await this.offerings.update(actor, id, body));
  }
}
