import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import { Roles, Scopes } from '../../common/auth/auth.decorators';
import {
  LedgerBalancesResponse,
  LedgerTransactionPageResponse,
  toLedgerBalanceResponse,
  toLedgerTransactionResponse,
} from './dto/ledger.response';
import { LedgerReconciliationResponse, toLedgerReconciliationResponse } from './dto/ledger-reconciliation.response';
import { ListLedgerTransactionsQueryDto } from './dto/list-ledger-transactions.query.dto';
import { LedgerService } from './ledger.service';

/** Read-only views of the ledger for admins and auditors. Nothing here writes. */
@ApiTags('admin')
@Roles(Role.ADMIN)
@Controller('admin/ledger')
export class LedgerAdminController {
  constructor(private readonly ledger: LedgerService) {}

  @Get('balances')
  @Scopes('admin')
  @ApiOperation({
    operationId: 'getLedgerBalances',
    summary: 'Balance of every ledger account per party and currency (debits positive, credits negative) (ADMIN).',
  })
  @ApiOkResponse({ type: LedgerBalancesResponse })
  async balances(): Promise<LedgerBalancesResponse> {
    return { items: (await this.ledger.balances()).map(toLedgerBalanceResponse) };
  }

  @Get('reconciliation')
  @Scopes('admin')
  @ApiOperation({
    operationId: 'getLedgerReconciliation',
    summary:
      'Checks now that the daily party rollups and the running party balances (what reports and payouts read) equal a recomputation from the raw ledger entries, and lists every difference (ADMIN).',
  })
  @ApiOkResponse({ type: LedgerReconciliationResponse })
  async reconciliation(): Promise<LedgerReconciliationResponse> {
    return toLedgerReconciliationResponse(await this.ledger.reconcile());
  }

  @Get('transactions')
  @Scopes('admin')
  @ApiOperation({
    operationId: 'listLedgerTransactions',
    summary: 'Ledger transactions with their entries, newest first (ADMIN).',
  })
  @ApiOkResponse({ type: LedgerTransactionPageResponse })
  async transactions(@Query() query: ListLedgerTransactionsQueryDto): Promise<LedgerTransactionPageResponse> {
    const { items, total } = await this.ledger.listTransactions(query);
    return { items: items.map(toLedgerTransactionResponse), total, page: query.page, pageSize: query.pageSize };
  }
}
