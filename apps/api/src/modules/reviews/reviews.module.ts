import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { ConsultationsCoreModule } from '../consultations-core';
import { NotificationsModule } from '../notifications';
import { WebhooksModule } from '../webhooks';
import { PaymentsModule } from '../payments';
import { AdminReviewsController } from './admin-reviews.controller';
import { LawyerReviewsController } from './lawyer-reviews.controller';
import { PublicReviewsService } from './public-reviews.service';
import { MyReviewsController, ReviewActionsController } from './review-actions.controller';
import { ReviewModerationService } from './review-moderation.service';
import { ReviewPublication } from './review-publication.service';
import { ReviewWindowsService } from './review-windows.service';
import { ReviewsRepository } from './reviews.repository';
import { ReviewsService } from './reviews.service';
import { SessionReviewsController } from './session-reviews.controller';

/**
 * Reviews of completed, paid sessions (issue 13): immutable reviews and responses, double-blind
 * publication with a window per session, moderation by admins, reports, and the incrementally
 * maintained lawyer ratings the directory ranks by (read by marketplace through the
 * `lawyer_rating_summaries` view).
 */
@Module({
  imports: [AuditModule, ConsultationsCoreModule, NotificationsModule, PaymentsModule, WebhooksModule],
  controllers: [
    SessionReviewsController,
    LawyerReviewsController,
    ReviewActionsController,
    MyReviewsController,
    AdminReviewsController,
  ],
  providers: [
    ReviewsRepository,
    ReviewPublication,
    ReviewsService,
    ReviewWindowsService,
    ReviewModerationService,
    PublicReviewsService,
  ],
  exports: [ReviewsService, ReviewWindowsService, PublicReviewsService],
})
export class ReviewsModule {}
