import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { HealthResponse } from './dto/health.response';
import { HealthService } from './health.service';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  // Rate-limited like every route (THROTTLE_LIMIT per address): a probe every few seconds is far below it.
  @Get()
  @ApiOperation({ operationId: 'getHealth', summary: 'Liveness and dependency status (database, storage, jobs). No auth.' })
  @ApiOkResponse({ type: HealthResponse, description: 'Every dependency is up' })
  @ApiServiceUnavailableResponse({ type: HealthResponse, description: 'At least one dependency is down' })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    const result = await this.health.check();
    if (result.status !== 'ok') void reply.status(503);
    return result;
  }
}
