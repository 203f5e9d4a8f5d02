import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { UuidParam } from '../../../common/http/uuid-param';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { AuthUser } from '../../../common/auth/auth-user';
import { CurrentUser, Roles, Scopes } from '../../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../../common/http/api-error-responses.decorator';

import {
  AvailabilityResponse,
  BlackoutResponse,
  CreateBlackoutDto,
  SetOverrideDto,
  toAvailabilityResponse,
  toBlackoutResponse,
  UpdateAvailabilityDto,
} from '../dto/availability.dto';
import { AvailabilityService, type AvailabilityView } from './availability.service';

const view = (v: AvailabilityView) => toAvailabilityResponse(v.availability, v.overrides, v.blackouts);

@ApiTags('marketplace')
@Roles(Role.LAWYER)
@Controller('lawyer/availability')
export class LawyerAvailabilityController {
  constructor(private readonly availability: AvailabilityService) {}

  @Get()
  @Scopes('profile:read')
  @ApiOperation({
    operationId: 'getOwnAvailability',
    summary: 'The caller’s weekly rules, upcoming overrides and blackouts (LAWYER).',
  })
  @ApiOkResponse({ type: AvailabilityResponse })
  async get(@CurrentUser() actor: AuthUser): Promise<AvailabilityResponse> {
    return view(await this.availability.getOwn(actor));
  }

  @Put()
  @Scopes('profile:write')
  @ApiOperation({
    operationId: 'updateOwnAvailability',
    summary:
      'Replace the weekly rules (in an IANA zone), buffers, minimum notice and daily cap (LAWYER). Audited as availability.updated.',
  })
  @ApiOkResponse({ type: AvailabilityResponse })
  @ApiErrorResponses(400)
  async update(@CurrentUser() actor: AuthUser, @Body() body: UpdateAvailabilityDto): Promise<AvailabilityResponse> {
    return view(await this.availability.update(actor, body));
  }

  @Put('overrides/:date')
  @Scopes('profile:write')
  @ApiOperation({
    operationId: 'setAvailabilityOverride',
    summary:
      'Replace the weekly rules on one local date; no windows = unavailable that day (LAWYER). Audited as availability.override_set.',
  })
  @ApiParam({ name: 'date', example: '2026-12-24', description: 'YYYY-MM-DD in the lawyer’s zone' })
  @ApiOkResponse({ type: AvailabilityResponse })
  @ApiErrorResponses(400, 409)
  async setOverride(
    @CurrentUser() actor: AuthUser,
    @Param('date') date: string,
    @Body() body: SetOverrideDto,
  ): Promise<AvailabilityResponse> {
    return view(await this.availability.setOverride(actor, date, body.windows));
  }

  @Delete('overrides/:date')
  @Scopes('profile:write')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'removeAvailabilityOverride',
    summary: 'Remove the override of one date (LAWYER). Audited as availability.override_removed.',
  })
  @ApiParam({ name: 'date', example: '2026-12-24' })
  @ApiNoContentResponse()
  @ApiErrorResponses(400, 404, 409)
  async removeOverride(@CurrentUser() actor: AuthUser, @Param('date') date: string): Promise<void> {
    await this.availability.removeOverride(actor, date);
  }

  @Post('blackouts')
  @Scopes('profile:write')
  @ApiOperation({
    operationId: 'addAvailabilityBlackout',
    summary: 'Block a period (UTC instants) for sessions (LAWYER). Audited as availability.blackout_added.',
  })
  @ApiCreatedResponse({ type: BlackoutResponse })
  @ApiErrorResponses(400, 409)
  async addBlackout(@CurrentUser() actor: AuthUser, @Body() body: CreateBlackoutDto): Promise<BlackoutResponse> {
    const blackout = await this.availability.addBlackout(actor, {
      startAt: new Date(body.startAt),
      endAt: new Date(body.endAt),
      reason: body.reason,
    });
    return toBlackoutResponse(blackout);
  }

  @Delete('blackouts/:id')
  @Scopes('profile:write')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'removeAvailabilityBlackout',
    summary: 'Remove one of the caller’s blackouts (LAWYER). Audited as availability.blackout_removed.',
  })
  @ApiNoContentResponse()
  @ApiErrorResponses(400, 404)
  async removeBlackout(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<void> {
    await this.availability.removeBlackout(actor, id);
  }
}
