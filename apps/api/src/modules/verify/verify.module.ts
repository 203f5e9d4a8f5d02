import { Module } from '@nestjs/common';
import { RecordingProofs, VideoModule } from '../video';
import { ProofSources } from './proof-sources';
import { VerifyController } from './verify.controller';
import { VerifyService } from './verify.service';

/**
 * Public verification by hash (GET /api/verify/{sha256}). Asks each proof source in turn: the
 * video module's recordings now; contracts will be added to the list below.
 */
@Module({
  imports: [VideoModule],
  controllers: [VerifyController],
  providers: [{ provide: ProofSources, inject: [RecordingProofs], useFactory: (recordings: RecordingProofs) => new ProofSources([recordings]) }, VerifyService],
})
export class VerifyModule {}
