import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { AuditModule } from '../audit';
import { ConsultationsCoreModule } from '../consultations-core';
import { NotificationsModule } from '../notifications';
import { StorageModule } from '../storage';
import { P2pVideoProvider } from './provider/p2p-video.provider';
import { VideoProvider } from './provider/video-provider';
import { RecordingChunksRepository } from './recordings/recording-chunks.repository';
import { RecordingMediaController } from './recordings/recording-media.controller';
import { RecordingMediaService } from './recordings/recording-media.service';
import { RecordingProofs } from './recordings/recording-proofs.service';
import { RecordingUploadParser } from './recordings/recording-upload.parser';
import { RecordingUploadsService } from './recordings/recording-uploads.service';
import { RecordingVault } from './recordings/recording-vault.service';
import { RecordingsController } from './recordings/recordings.controller';
import { RecordingsRepository } from './recordings/recordings.repository';
import { VideoSignalListener } from './signalling/video-signal-listener';
import { VideoSignallingService } from './signalling/video-signalling.service';
import { VideoSignalsController } from './signalling/video-signals.controller';
import { VideoSignalsRepository } from './signalling/video-signals.repository';
import { VideoController } from './video.controller';
import { VideoRepository } from './video.repository';
import { VideoService } from './video.service';
import { OverdueCallsService } from './overdue-calls.service';

/**
 * Video calls of sessions: rooms, join tokens, recording consent, the attendance log, the
 * peer-to-peer signalling relay, provider callbacks and recordings kept in our blob store. The
 * provider (Twilio or peer-to-peer) is chosen by configuration behind `VideoProvider`.
 */
@Module({
  imports: [AuditModule, ConsultationsCoreModule, NotificationsModule, StorageModule],
  controllers: [VideoController, RecordingsController, RecordingMediaController, VideoSignalsController],
  providers: [
    {
      provide: VideoProvider,
      inject: [AppConfig],
      useFactory: (config: AppConfig): VideoProvider => {
        if (config.videoProvider === 'p2p') return new P2pVideoProvider();
        throw new Error('Twilio Video provider not available in this build yet');
      },
    },
    VideoRepository,
    VideoSignalsRepository,
    RecordingsRepository,
    RecordingVault,
    RecordingChunksRepository,
    RecordingUploadParser,
    RecordingUploadsService,
    RecordingMediaService,
    RecordingProofs,
    VideoService,
    OverdueCallsService,
    VideoSignalListener,
    VideoSignallingService,
  ],
  exports: [VideoService, RecordingProofs],
})
export class VideoModule {}
