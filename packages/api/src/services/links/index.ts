export { getLink, operateLink, verifyLinkNow, type TLinkDetail, type TOperateLinkResult } from "./links";
export { preflightPlannedLinks } from "./preflight";
export { postgresAccess, sqlOf } from "./access";
