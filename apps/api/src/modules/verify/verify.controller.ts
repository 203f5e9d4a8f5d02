import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { Public } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { toVerifyResponse, VerifyResponse } from './dto/verify.response';
import { VerifyService } from './verify.service';

/** Anyone holding a file can check it against what the platform keeps: by hash, no account. */
@ApiTags('verify')
@Public()
@Controller('verify')
export class VerifyController {
  constructor(private readonly verifier: VerifyService) {}

  /** Public on purpose; it reveals only whether the bytes are held, when, and their audit seq. Tightly rate-limited. */
  @Get(':sha256')
  @Throttle({ default: { limit: 30, ttl: 60_000 } })
  @ApiOperation({
    operationId: 'verifyByHash',
    summary:
      'Whether the platform holds a file with this SHA-256 — a recording (when it was recorded) or an executed contract’s sealed PDF ' +
      '(when it was executed, how many parties signed) — and its audit seq; never who took part, never any content.',
  })
  @ApiParam({ name: 'sha256', schema: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' } })
  @ApiOkResponse({ type: VerifyResponse, description: 'Always 200 for a well-formed hash; `found` says whether it is held' })
  @ApiErrorResponses(400)
  async verify(@Param('sha256') sha256: string): Promise<VerifyResponse> {
    return toVerifyResponse(await this.verifier.verify(sha256));
  }
}
