export { createRestHandler, type TRestHandler, type TRestHandlerOptions } from "./rest-handler";
export { buildOpenApiDocument, buildChangeFileJsonSchema, API_V1_BASE, OPENAPI_PATH, CHANGE_FILE_SCHEMA_PATH } from "./openapi";
export { DEFAULT_RATE_LIMIT, TokenBuckets, type TRateLimitSettings } from "./rate-limit";
export { PROBLEM_CONTENT_TYPE, type TProblem } from "./problem";
