import { Module } from '@nestjs/common';
import { ContractProofs, ContractsModule } from '../contracts';
import { RecordingProofs, VideoModule } from '../video';
import { ProofSources } from './proof-sources';
import { VerifyController } from './verify.controller';
import { VerifyService } from './verify.service';

/**
 * Public verification by hash (GET /api/verify/{sha256}). Asks each proof source: the video
 * module's recordings and the contracts module's executed contracts.
 */
@Module({
  imports: [VideoModule, ContractsModule],
  controllers: [VerifyController],
  providers: [
    {
      provide: ProofSources,
      inject: [RecordingProofs, ContractProofs],
      useFactory: (recordings: RecordingProofs, contracts: ContractProofs) => new ProofSources([recordings, contracts]),
    },
    VerifyService,
  ],
})
export class VerifyModule {}
