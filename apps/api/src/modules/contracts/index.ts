// The public surface of the contracts module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { ContractsModule } from './contracts.module';
export { ContractsService } from './contracts.service';
export type { ContractDetail } from './contracts.service';
export { ContractSigning } from './contract-signing.service';
export type { SignerClient, SignInput } from './contract-signing.service';
export { ContractTemplatesService } from './templates.service';
export { ContractExpiry, CONTRACTS_EXPIRE_QUEUE } from './contract-expiry.service';
export { ContractProofs } from './contract-proofs.service';
export type { ContractProof } from './contract-proofs.service';
