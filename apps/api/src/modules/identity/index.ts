// The public surface of the identity module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { AccountsService } from './accounts.service';
export { EmailVerificationService } from './email-verification.service';
export { IdentityModule } from './identity.module';
export { PASSWORD_RULE, passwordProblem } from './password-policy';
export { RequestThrottleStorage } from './request-throttle.storage';
export { UserBillingService } from './user-billing.service';
export { resolveJwtSecret } from './jwt-secret';
export { assertRecentSignIn } from './recent-sign-in';
