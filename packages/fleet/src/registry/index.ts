export { checkPostgresConnection, type TConnectionCheck, type TConnectionCheckInput } from "./check-connection";
export { encryptCredential, parseCredentialKey, ZPostgresCredentialSchema, type TPostgresCredential } from "../credentials";
