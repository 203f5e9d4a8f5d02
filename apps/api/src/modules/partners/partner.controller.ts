import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles, Scopes } from '../../common/auth/auth.decorators';
import { ListReferralsQueryDto } from './dto/list-referrals.query.dto';
import { ReferralLinkResponse, ReferralPageResponse, toReferralResponse } from './dto/referral.response';
import { PartnersService } from './partners.service';

/** The caller's own referral link and referrals. There is deliberately no route that changes a referral. */
@ApiTags('partners')
@Roles(Role.PARTNER)
@Controller('partner')
export class PartnerController {
  constructor(private readonly partners: PartnersService) {}

  @Get('referral-link')
  @Scopes('profile:read')
  @ApiOperation({ operationId: 'getReferralLink', summary: 'The caller’s referral code and sign-up link (PARTNER).' })
  @ApiOkResponse({ type: ReferralLinkResponse })
  getReferralLink(@CurrentUser() actor: AuthUser): Promise<ReferralLinkResponse> {
    return this.partners.getReferralLink(actor);
  }

  @Get('referrals')
  @Scopes('reports:read')
  @ApiOperation({ operationId: 'listReferrals', summary: 'Users who signed up through the caller’s link, newest first, emails masked (PARTNER).' })
  @ApiOkResponse({ type: ReferralPageResponse })
  async listReferrals(@CurrentUser() actor: AuthUser, @Query() query: ListReferralsQueryDto): Promise<ReferralPageResponse> {
    const { items, total } = await this.partners.listReferrals(actor, query);
    return { items: items.map(toReferralResponse), total, page: query.page, pageSize: query.pageSize };
  }
}
