import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { UuidParam } from '../../common/http/uuid-param';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { AccountsService } from './accounts.service';
import { CreateUserDto } from './dto/create-user.dto';
import { ListUsersQueryDto } from './dto/list-users.query.dto';
import { toUserResponse, UserPageResponse, UserResponse } from './dto/user.response';


@ApiTags('admin')
@Roles(Role.ADMIN)
@Controller('admin/users')
export class AdminUsersController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @Scopes('admin')
  @ApiOperation({ operationId: 'listUsers', summary: 'Search accounts by email or name; filter by role and status; newest first.' })
  @ApiOkResponse({ type: UserPageResponse })
  async list(@Query() query: ListUsersQueryDto): Promise<UserPageResponse> {
    const { items, total } = await this.accounts.search(query);
    return { items: items.map(toUserResponse), total, page: query.page, pageSize: query.pageSize };
  }

  @Post()
  @Scopes('admin')
  @ApiOperation({ operationId: 'createUser', summary: 'Create an account of any role, including ADMIN.' })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiErrorResponses(409)
  async create(@CurrentUser() actor: AuthUser, @Body() body: CreateUserDto): Promise<UserResponse> {
    return toUserResponse(await this.accounts.createByAdmin(actor, body));
  }

  @Post(':id/suspend')
  @Scopes('admin')
  @HttpCode(200)
  @ApiOperation({ operationId: 'suspendUser', summary: 'Suspend an account: its sessions end and its tokens and API keys stop working at once.' })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrorResponses(404, 409)
  async suspend(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<UserResponse> {
    return toUserResponse(await this.accounts.suspend(actor, id));
  }

  @Post(':id/reactivate')
  @Scopes('admin')
  @HttpCode(200)
  @ApiOperation({ operationId: 'reactivateUser', summary: 'Lift a suspension (the user signs in again).' })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrorResponses(404)
  async reactivate(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<UserResponse> {
    return toUserResponse(await this.accounts.reactivate(actor, id));
  }
}
