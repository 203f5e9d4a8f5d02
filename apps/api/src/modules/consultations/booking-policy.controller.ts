import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/auth/auth.decorators';
import { ConsultationsService } from './consultations.service';
import { BookingPolicyResponse } from './dto/session.response';

/** The rules of booking, public: a client reads them before paying. */
@ApiTags('sessions')
@Controller('booking-policy')
export class BookingPolicyController {
  constructor(private readonly consultations: ConsultationsService) {}

  @Get()
  @Public()
  @ApiOperation({
    operationId: 'getBookingPolicy',
    summary: 'The cancellation and reschedule rules (free-change window, refund percentages) and the first booking’s minimum notice.',
  })
  @ApiOkResponse({ type: BookingPolicyResponse })
  get(): BookingPolicyResponse {
    return this.consultations.bookingPolicy();
  }
}
