import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { IsEmail, IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { Public } from '../../src/common/auth/auth.decorators';
import { domainError } from '../../src/common/errors/domain-error';

class ProbeDto {
  @IsEmail()
  email: string;

  @IsString()
  @MinLength(12)
  secret: string;

  @IsInt()
  @Min(1)
  @Max(10)
  count: number;
}

class ProbeConflict extends domainError('PROBE_CONFLICT', 409, 'The probe is in a conflicting state') {}

/**
 * Test-only routes mounted by createTestApp to exercise the global pipeline (validation
 * pipe, error filter, body parsing) the way a real module's endpoint would be.
 */
@Public()
@Controller('test-probe')
class ProbeController {
  @Post()
  @HttpCode(200)
  echo(@Body() body: ProbeDto): { email: string; count: number } {
    return { email: body.email, count: body.count };
  }

  @Get('conflict')
  conflict(): never {
    throw new ProbeConflict();
  }

  @Get('crash')
  crash(): never {
    throw new Error('database password is hunter2 at /srv/app/secret.ts:12');
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
