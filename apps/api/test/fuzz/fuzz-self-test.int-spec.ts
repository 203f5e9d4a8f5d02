import { BadRequestException, Body, Controller, Get, HttpCode, Module, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { Public } from '../../src/common/auth/auth.decorators';
import { createTestApp, TestApp } from '../setup/test-app';
import { runFuzz, type FuzzReport } from './fuzz-runner';
import { fuzzDocument, operationsOf, type OpenApiDocument } from './openapi-model';

class NameDto {
  @ApiProperty({ maxLength: 5000 })
  @IsString()
  @MaxLength(5000)
  name: string;
}

class SearchQuery {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  q?: string;
}

class CountResponse {
  @ApiProperty()
  count: number;
}

/**
 * Deliberately broken handlers, mounted only in this spec: each breaks one rule the fuzz suite
 * checks. If the suite stopped reporting any of them, it would have lost its teeth.
 */
@Public()
@Controller('fuzz-probe')
class BrokenController {
  @Post('long-string')
  @HttpCode(200)
  @ApiOkResponse({ type: CountResponse })
  longString(@Body() body: NameDto): CountResponse {
    if (body.name.length > 64) throw new Error('handler cannot cope with long names');
    return { count: body.name.length };
  }

  @Get('undeclared-status')
  @ApiOkResponse({ type: CountResponse })
  undeclaredStatus(@Res() reply: FastifyReply): void {
    void reply.status(418).send({ count: 1 });
  }

  @Get('off-schema')
  @ApiOkResponse({ type: CountResponse })
  offSchema(): unknown {
    return { count: 'many' };
  }

  @Get('echo')
  @ApiOkResponse({ type: CountResponse })
  echo(@Query() query: SearchQuery): CountResponse {
    if (query.q && query.q.length >= 6) throw new BadRequestException(`nothing found for ${query.q}`);
    return { count: 0 };
  }

  @Get('fine')
  @ApiOkResponse({ type: CountResponse })
  fine(@Query() query: SearchQuery): CountResponse {
    return { count: query.q?.length ?? 0 };
  }
}

@Module({ controllers: [BrokenController] })
class BrokenModule {}

describe('OpenAPI fuzz suite: a broken handler makes it fail', () => {
  let t: TestApp;
  let report: FuzzReport;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '1000000' }, [BrokenModule]);
    const served = await t.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/api/openapi.json' });
    const { document, onlyServed } = fuzzDocument(JSON.parse(served.body) as OpenApiDocument);
    expect(onlyServed.filter((k) => k.includes('fuzz-probe'))).toHaveLength(5);
    const operations = operationsOf(document).filter((op) => op.path.startsWith('/api/fuzz-probe/'));
    report = await runFuzz(t.app, document, operations, [{ name: 'anonymous' }], { uuids: [], dates: [] }, { seed: 20261130, runs: 60 });
  });
  afterAll(async () => {
    await t?.close();
  });

  const failureOf = (path: string) => report.failures.find((f) => f.operation.endsWith(path));

  it('reports a handler that throws on a long string as a server error', () => {
    expect(failureOf('/long-string')?.violations.join('\n')).toMatch(/server error 500/);
  });

  it('reports a status the document does not declare', () => {
    expect(failureOf('/undeclared-status')?.violations.join('\n')).toMatch(/status 418 is not declared/);
  });

  it('reports a body that does not match the declared schema', () => {
    expect(failureOf('/off-schema')?.violations.join('\n')).toMatch(/does not match the declared 200 schema/);
  });

  it('reports an error that echoes a submitted value', () => {
    expect(failureOf('/echo')?.violations.join('\n')).toMatch(/echoes a submitted value/);
  });

  it('passes a handler that follows the rules, and says how to replay', () => {
    expect(failureOf('/fine')).toBeUndefined();
    expect(report.operations).toBe(5);
    expect(report.failures.every((f) => Number.isInteger(f.seed) && f.case.length > 0)).toBe(true);
  });
});
