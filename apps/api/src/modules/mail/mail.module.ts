import { Global, Module } from '@nestjs/common';
import { MailController } from './mail.controller';
import { MailService } from './mail.service';
import { MailTransport } from './mail-transport';

/** Email outbox: other modules call MailService.enqueue(manager, ...) inside their transactions. */
@Global()
@Module({
  controllers: [MailController],
  providers: [MailService, MailTransport],
  exports: [MailService],
})
export class MailModule {}
