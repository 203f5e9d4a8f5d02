import { PagedResponse } from '../../../common/http/paged.response';
import { ApiProperty } from '@nestjs/swagger';
import type { ReferralRow } from '../partners.repository';
import { maskEmail } from '../referral-code';

export class ReferralLinkResponse {
  @ApiProperty({ example: '7K3QX9MD' })
  code: string;
  @ApiProperty({ example: 'https://lexmarket.example/sign-up?ref=7K3QX9MD' })
  url: string;
}

export class ReferralResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  /** The referred account's email, masked. */
  @ApiProperty({ example: 'j***@example.com' })
  maskedEmail: string;
  @ApiProperty({ enum: ['CLIENT', 'LAWYER', 'PARTNER'], example: 'CLIENT' })
  role: ReferralRow['role'];
  /** When the referred user signed up. */
  createdAt: Date;
}

export class ReferralPageResponse extends PagedResponse(ReferralResponse) {}

export function toReferralResponse(r: ReferralRow): ReferralResponse {
  return { id: r.id, maskedEmail: maskEmail(r.email), role: r.role, createdAt: r.createdAt };
}
