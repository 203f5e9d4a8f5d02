import { ApiProperty } from '@nestjs/swagger';

/** The refresh token is not in the body: it is set as an HttpOnly cookie (Path=/api/auth). */
export class AccessTokenResponse {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' })
  accessToken: string;
  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  @ApiProperty({ example: 900 })
  expiresIn: number;
}
