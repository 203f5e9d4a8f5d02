import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { ConsultationsCoreModule } from '../consultations-core';
import { NotificationsModule } from '../notifications';
import { StorageModule } from '../storage';
import { WebhooksModule } from '../webhooks';
import { ContractDocuments } from './contract-documents.service';
import { ContractExpiry } from './contract-expiry.service';
import { ContractProofs } from './contract-proofs.service';
import { ContractSigning } from './contract-signing.service';
import { ContractsController } from './contracts.controller';
import { ContractsRepository } from './contracts.repository';
import { ContractsService } from './contracts.service';
import { ContractSealer } from './render/pdf-seal';
import { ContractTemplatesController } from './templates.controller';
import { TemplatesRepository } from './templates.repository';
import { ContractTemplatesService } from './templates.service';

/**
 * Contract lifecycle management (issue 15): templates, contracts made from them for paid
 * sessions, immutable versions with their PDFs, electronic signatures with signer events, the
 * sealed executed PDF in the blob store and the audit trail, expiry, and the proofs the public
 * verify endpoint asks for.
 */
@Module({
  imports: [AuditModule, ConsultationsCoreModule, NotificationsModule, StorageModule, WebhooksModule],
  controllers: [ContractTemplatesController, ContractsController],
  providers: [
    TemplatesRepository,
    ContractTemplatesService,
    ContractsRepository,
    ContractDocuments,
    ContractSealer,
    ContractsService,
    ContractSigning,
    ContractExpiry,
    ContractProofs,
  ],
  exports: [ContractsService, ContractSigning, ContractTemplatesService, ContractExpiry, ContractProofs],
})
export class ContractsModule {}
