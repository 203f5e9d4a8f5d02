import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../common/auth/auth-user';
import { Authenticated, CurrentUser, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { CreateIdentityDto, DeviceRegistrationDto } from './dto/keys.dto';
import {
  BackupResponse,
  CreatedIdentityResponse,
  DeviceResponse,
  UserKeysResponse,
  toBackupResponse,
  toDeviceResponse,
  toIdentityResponse,
  toUserKeysResponse,
} from './dto/keys.response';
import { E2eeKeysService } from './e2ee-keys.service';

/**
 * Public keys for end-to-end encrypted messaging: the caller's identity, key backup and
 * devices, and the keys of the people they share a conversation with. The server stores public
 * keys and the backup as wrapped in the browser; no private key or recovery code ever reaches it.
 */
@ApiTags('messaging')
@Controller('e2ee')
@Authenticated()
export class E2eeKeysController {
  constructor(private readonly keys: E2eeKeysService) {}

  @Get('keys/me')
  @Scopes('messages:read')
  @ApiOperation({
    operationId: 'getMyE2eeKeys',
    summary: 'The caller’s identity (null before set-up) and every device, revoked ones included.',
  })
  @ApiOkResponse({ type: UserKeysResponse })
  async mine(@CurrentUser() actor: AuthUser): Promise<UserKeysResponse> {
    return toUserKeysResponse(await this.keys.mine(actor));
  }

  @Post('identity')
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @ApiOperation({
    operationId: 'createE2eeIdentity',
    summary:
      'Sets up the caller’s keys with their first device: identity key, backup key (signed by the identity key), the key backup wrapped with the ' +
      'recovery code, and the device (certified by the identity key). Both signatures are verified: 400 E2EE_SIGNATURE_INVALID. ' +
      'Keys already set up: 409 E2EE_IDENTITY_EXISTS, unless `reset` (lost recovery code: every device is revoked, earlier history becomes unreadable). ' +
      '409 E2EE_DEVICE_EXISTS for a used device id.',
  })
  @ApiCreatedResponse({ type: CreatedIdentityResponse })
  @ApiErrorResponses(400, 409)
  async createIdentity(@CurrentUser() actor: AuthUser, @Body() body: CreateIdentityDto): Promise<CreatedIdentityResponse> {
    const { identity, device } = await this.keys.createIdentity(actor, body);
    return { identity: toIdentityResponse(identity), device: toDeviceResponse(device) };
  }

  @Get('backup')
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @ApiOperation({
    operationId: 'getE2eeKeyBackup',
    summary:
      'The caller’s key backup, to restore on a new device with the recovery code (in the browser). 404 E2EE_IDENTITY_NOT_FOUND before set-up.',
  })
  @ApiOkResponse({ type: BackupResponse })
  @ApiErrorResponses(404)
  async backup(@CurrentUser() actor: AuthUser): Promise<BackupResponse> {
    return toBackupResponse(await this.keys.backup(actor));
  }

  @Post('devices')
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @ApiOperation({
    operationId: 'addE2eeDevice',
    summary:
      'Adds a device (after restoring the keys in this browser), certified by the caller’s identity key: 400 E2EE_SIGNATURE_INVALID otherwise. ' +
      '404 E2EE_IDENTITY_NOT_FOUND before set-up, 409 E2EE_DEVICE_EXISTS for a used id, 409 E2EE_DEVICE_LIMIT past 20 active devices.',
  })
  @ApiCreatedResponse({ type: DeviceResponse })
  @ApiErrorResponses(400, 404, 409)
  async addDevice(@CurrentUser() actor: AuthUser, @Body() body: DeviceRegistrationDto): Promise<DeviceResponse> {
    return toDeviceResponse(await this.keys.addDevice(actor, body));
  }

  @Delete('devices/:deviceId')
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @HttpCode(204)
  @ApiOperation({
    operationId: 'revokeE2eeDevice',
    summary:
      'Revokes one of the caller’s active devices: later epochs are not sealed to it. Anything else: 404 E2EE_DEVICE_NOT_FOUND.',
  })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrorResponses(400, 404)
  async revokeDevice(@CurrentUser() actor: AuthUser, @Param('deviceId', UuidParam('deviceId')) deviceId: string): Promise<void> {
    await this.keys.revokeDevice(actor, deviceId.toLowerCase());
  }

  @Get('users/:userId/keys')
  @Scopes('messages:read')
  @ApiOperation({
    operationId: 'getUserE2eeKeys',
    summary:
      'A user’s identity and devices: the caller’s own, or those of someone they share a conversation with. Anyone else: 404 E2EE_USER_NOT_FOUND.',
  })
  @ApiOkResponse({ type: UserKeysResponse })
  @ApiErrorResponses(400, 404)
  async userKeys(
    @CurrentUser() actor: AuthUser,
    @Param('userId', UuidParam('userId')) userId: string,
  ): Promise<UserKeysResponse> {
    return toUserKeysResponse(await this.keys.ofUser(actor, userId.toLowerCase()));
  }
}
