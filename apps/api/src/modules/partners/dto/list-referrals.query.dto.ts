import { PageQueryDto } from '../../../common/http/page-query.dto';

/** Pages of the partner's own referrals, newest first. */
export class ListReferralsQueryDto extends PageQueryDto {}
