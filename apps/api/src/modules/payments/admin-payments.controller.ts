import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import { Roles } from '../../common/auth/auth.decorators';
import { AdminPaymentPageResponse, ListPaymentsQueryDto, toAdminPaymentResponse } from './dto/admin-payment.response';
import { PaymentsService } from './payments.service';

@ApiTags('admin')
@Roles(Role.ADMIN)
@Controller('admin/payments')
export class AdminPaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Get()
  @ApiOperation({ operationId: 'listPayments', summary: 'Payments, newest first, with their refunds (ADMIN).' })
  @ApiOkResponse({ type: AdminPaymentPageResponse })
  async list(@Query() query: ListPaymentsQueryDto): Promise<AdminPaymentPageResponse> {
    const { items, total } = await this.payments.listPayments(query);
    return { items: items.map(toAdminPaymentResponse), total, page: query.page, pageSize: query.pageSize };
  }
}
