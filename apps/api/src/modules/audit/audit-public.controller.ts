import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { Public } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { AuditCheckpointsService } from './audit-checkpoints.service';
import { AuditCheckpointResponse, AuditPublicKeyResponse } from './dto/audit-checkpoint.response';
import { CheckpointVerificationResponse } from './dto/audit-verification.response';
import { VerifyCheckpointDto } from './dto/verify-checkpoint.dto';

/**
 * What anyone may use to hold the operator to the audit trail: the public key, the latest
 * signed head, and re-verification of a checkpoint they kept. Entry contents stay admin-only.
 */
@ApiTags('audit')
@Public()
@Controller('audit')
export class AuditPublicController {
  constructor(private readonly checkpoints: AuditCheckpointsService) {}

  @Get('public-key')
  @ApiOperation({ operationId: 'getAuditPublicKey', summary: 'The Ed25519 public key that signs audit checkpoints' })
  @ApiOkResponse({ type: AuditPublicKeyResponse })
  publicKey(): AuditPublicKeyResponse {
    return this.checkpoints.publicKey();
  }

  @Get('checkpoints/latest')
  @ApiOperation({
    operationId: 'getLatestAuditCheckpoint',
    summary: 'The latest signed checkpoint of the chain head, in export form',
  })
  @ApiOkResponse({ type: AuditCheckpointResponse })
  @ApiErrorResponses(404)
  latest(): Promise<AuditCheckpointResponse> {
    return this.checkpoints.latest();
  }

  /**
   * Public on purpose: whoever kept a checkpoint (an auditor, a client, a court) can ask
   * whether today's chain still contains it, without an account. It reveals only integrity
   * facts, never entries. A chain scan runs only for a valid signature of ours (bounded by
   * that checkpoint's seq), and the route has its own tight rate limit.
   */
  @Post('checkpoints/verify')
  @HttpCode(200)
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @ApiOperation({
    operationId: 'verifyAuditCheckpoint',
    summary: 'Re-verify an exported checkpoint: signature, and that today’s chain is intact up to its seq with the same hash',
  })
  @ApiOkResponse({
    type: CheckpointVerificationResponse,
    description: 'Always 200; `ok` tells whether the checkpoint still holds',
  })
  verify(@Body() body: VerifyCheckpointDto): Promise<CheckpointVerificationResponse> {
    return this.checkpoints.verifyExported(body);
  }
}
