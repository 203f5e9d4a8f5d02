import { Module } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { AuditModule } from '../audit';
import { ConsultationsCoreModule } from '../consultations-core';
import { NotificationsModule } from '../notifications';
import { StorageModule } from '../storage';
import { WebhooksModule } from '../webhooks';
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
import { CompositionIngestService } from './twilio/composition-ingest.service';
import { CompositionRecordings } from './twilio/composition-recordings';
import { TwilioCallbacksService } from './twilio/twilio-callbacks.service';
import { TwilioVideoProvider } from './twilio/twilio-video.provider';
import { TwilioWebhookController } from './twilio/twilio-webhook.controller';
import { VideoCallbacksRepository } from './twilio/video-callbacks.repository';
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
  imports: [AuditModule, ConsultationsCoreModule, NotificationsModule, StorageModule, WebhooksModule],
  controllers: [VideoController, RecordingsController, RecordingMediaController, VideoSignalsController, TwilioWebhookController],
  providers: [
    {
      provide: VideoProvider,
      inject: [AppConfig, Clock],
      useFactory: (config: AppConfig, clock: Clock): VideoProvider => {
        if (config.videoProvider === 'p2p') return new P2pVideoProvider();
        return new TwilioVideoProvider(
          {
            accountSid: config.TWILIO_ACCOUNT_SID!,
            apiKeySid: config.TWILIO_API_KEY_SID!,
            apiKeySecret: config.TWILIO_API_KEY_SECRET!,
            authToken: config.TWILIO_AUTH_TOKEN!,
            apiBaseUrl: config.TWILIO_API_BASE_URL,
            timeoutMs: config.TWILIO_TIMEOUT_MS,
          },
          clock,
        );
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
    VideoCallbacksRepository,
    CompositionRecordings,
    TwilioCallbacksService,
    CompositionIngestService,
  ],
  exports: [VideoService, RecordingProofs],
})
export class VideoModule {}
