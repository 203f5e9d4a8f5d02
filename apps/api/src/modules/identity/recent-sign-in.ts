// The rule is shared by every module (common/auth); identity keeps exporting it from its surface.
export { assertRecentSignIn, RECENT_SIGN_IN_SECONDS } from '../../common/auth/recent-sign-in';
