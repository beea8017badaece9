export {
  accountKey,
  addressKey,
  clearAccountFailures,
  clientAddressOf,
  countFailure,
  recordSignInFailure,
  signInBlock,
  SIGN_IN_LIMITS,
  tooManyAttemptsCode,
  type TThrottleBlock,
  type TThrottleKey,
  type TThrottleRule,
} from "./sign-in-throttle";
export {
  checkSession,
  sessionTimeRefusal,
  type TCheckedSession,
  type TSessionClaims,
  type TSessionLimits,
  type TSessionRefusal,
} from "./session-check";
