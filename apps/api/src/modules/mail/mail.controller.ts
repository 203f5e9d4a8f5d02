import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import { Roles, Scopes } from '../../common/auth/auth.decorators';
import { EmailOutboxPageResponse, toEmailMessageResponse } from './dto/email-message.response';
import { ListOutboxQueryDto } from './dto/list-outbox.query.dto';
import { MailService } from './mail.service';

@ApiTags('admin')
@Controller('admin/outbox')
export class MailController {
  constructor(private readonly mail: MailService) {}

  @Get()
  @Roles(Role.ADMIN)
  @Scopes('admin')
  @ApiOperation({ operationId: 'listOutbox', summary: 'Outgoing emails, newest first (captured ones with their text).' })
  @ApiOkResponse({ type: EmailOutboxPageResponse })
  async list(@Query() query: ListOutboxQueryDto): Promise<EmailOutboxPageResponse> {
    const { items, total } = await this.mail.list(query);
    return { items: items.map(toEmailMessageResponse), total, page: query.page, pageSize: query.pageSize };
  }
}
