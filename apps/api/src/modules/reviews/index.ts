// The public surface of the reviews module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { ReviewsModule } from './reviews.module';
export { ReviewsService } from './reviews.service';
export { ReviewWindowsService, REVIEW_PUBLISH_QUEUE, REVIEW_PUBLISH_SWEEP_QUEUE } from './review-windows.service';
export { PublicReviewsService } from './public-reviews.service';
export { RATING_PRIOR_MEAN, RATING_PRIOR_WEIGHT } from './review-rules';
