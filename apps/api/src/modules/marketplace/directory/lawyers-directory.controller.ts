import { Controller, Get, Param, Query } from '@nestjs/common';
import { UuidParam } from '../../../common/http/uuid-param';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../../common/http/api-error-responses.decorator';

import { toPublicLawyerResponse } from '../../lawyers';
import {
  DirectoryPageResponse,
  DirectoryQueryDto,
  FreeTimesQueryDto,
  FreeTimesResponse,
  PublicLawyerProfileResponse,
  SlotResponse,
  SlotsQueryDto,
  SlotsResponse,
} from '../dto/directory.dto';
import { toPublicOfferingResponse } from '../dto/offering.dto';
import type { TimeRange } from '../availability/slots';
import { DirectoryService } from './directory.service';

/** A free time range as the API names its ends. */
const toSlotResponse = (s: TimeRange): SlotResponse => ({ startAt: s.start, endAt: s.end });

/** The public side of the marketplace: the directory, a lawyer's profile with offerings, and free slots. */
@ApiTags('lawyers')
@Public()
@Controller('lawyers')
export class LawyersDirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  @ApiOperation({
    operationId: 'searchLawyers',
    summary:
      'The directory: verified lawyers with an active offering, filtered, sorted and paged (page numbers for the first 10,000 results, `cursor` at any depth), with the total (exact up to 1,000).',
  })
  @ApiOkResponse({ type: DirectoryPageResponse })
  @ApiErrorResponses(400)
  async search(@Query() query: DirectoryQueryDto): Promise<DirectoryPageResponse> {
    const { items, total, totalCapped, nextCursor } = await this.directory.search(query);
    return { items, total, totalCapped, nextCursor, page: query.page, pageSize: query.pageSize };
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'getLawyer',
    summary: 'A verified lawyer’s public profile with their active offerings; 404 for anyone not verified or not active.',
  })
  @ApiOkResponse({ type: PublicLawyerProfileResponse })
  @ApiErrorResponses(400, 404)
  async get(@Param('id', UuidParam('id')) id: string): Promise<PublicLawyerProfileResponse> {
    const { profile, offerings, timeZone, nextAvailableAt, rating } = await this.directory.getProfile(id);
    return {
      ...toPublicLawyerResponse(profile),
      offerings: offerings.map(toPublicOfferingResponse),
      timeZone,
      nextAvailableAt,
      rating: { ...rating },
    };
  }

  @Get(':id/slots')
  @ApiOperation({
    operationId: 'getLawyerSlots',
    summary:
      'Free slots (UTC) of one of the lawyer’s active offerings between from and to (default: the next 14 days; at most 62).',
  })
  @ApiOkResponse({ type: SlotsResponse })
  @ApiErrorResponses(400, 404)
  async slots(@Param('id', UuidParam('id')) id: string, @Query() query: SlotsQueryDto): Promise<SlotsResponse> {
    const list = await this.directory.slots(id, query);
    return { ...list, slots: list.slots.map(toSlotResponse) };
  }

  @Get(':id/free-times')
  @ApiOperation({
    operationId: 'getLawyerFreeTimes',
    summary:
      'Read-only preview for the public profile: the next free times (UTC) of one of the lawyer’s active offerings in the next 14 days (booking happens after payment).',
  })
  @ApiOkResponse({ type: FreeTimesResponse })
  @ApiErrorResponses(400, 404)
  async freeTimes(@Param('id', UuidParam('id')) id: string, @Query() query: FreeTimesQueryDto): Promise<FreeTimesResponse> {
    const preview = await this.directory.freeTimes(id, query.offeringId, query.limit ?? 6);
    return { ...preview, slots: preview.slots.map(toSlotResponse) };
  }
}
