export * from "./api-tokens";
export { generateTokenSecret, hashToken, tokenPrefixOf } from "./token-secret";
