import { ApiProperty } from '@nestjs/swagger';

export class HealthComponentResponse {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  status: 'up' | 'down';
}

/** Each dependency the API needs to serve requests. */
export class HealthDetailsResponse {
  /** PostgreSQL answers queries. */
  database: HealthComponentResponse;
  /** The blob store (filesystem or S3) is reachable and writable. */
  storage: HealthComponentResponse;
  /** pg-boss is running and its schema is installed. */
  jobs: HealthComponentResponse;
}

export class HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'], example: 'ok' })
  status: 'ok' | 'error';

  details: HealthDetailsResponse;

  @ApiProperty({ example: '0.1.0' })
  version: string;

  @ApiProperty({ example: 42 })
  uptimeSeconds: number;
}
