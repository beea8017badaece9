import { createTRPCRouter } from "../../trpc";
import { createApiToken } from "./create-api-token";
import { listApiTokens } from "./list-api-tokens";
import { revokeApiToken } from "./revoke-api-token";
import { tokenFormOptions } from "./token-form-options";

/** API tokens of teams: created, listed and revoked by team approvers and administrators. */
export const tokensRouter = createTRPCRouter({
  list: listApiTokens,
  formOptions: tokenFormOptions,
  create: createApiToken,
  revoke: revokeApiToken,
});
