import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { PartnerController } from './partner.controller';
import { PartnersRepository } from './partners.repository';
import { PartnersService } from './partners.service';

/**
 * Partners: referral codes and immutable first-touch referrals. The identity module calls
 * `PartnersService.createCodeForNewPartner` and `attributeSignUp` in the sign-up transaction.
 */
@Module({
  imports: [AuditModule],
  controllers: [PartnerController],
  providers: [PartnersRepository, PartnersService],
  exports: [PartnersService],
})
export class PartnersModule {}
