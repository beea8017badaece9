import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { z } from "zod";

/**
 * Managed-database credentials, encrypted at rest with AES-256-GCM. The key comes from the
 * environment (MERIDIAN_CREDENTIAL_KEY, read by @meridian/db's `credentialKey()`); this module
 * only takes it as an argument. Ciphertext format: `v1.<iv>.<tag>.<ciphertext>` (base64url),
 * the plaintext a JSON `{ user, password }`. The instance id is bound as additional data, so
 * a ciphertext copied onto another instance's row does not decrypt.
 *
 * A decrypted credential exists only inside a driver call; it is never logged, audited, put
 * in a step's input or output, or sent to the browser.
 */
export const ZPostgresCredentialSchema = z.object({
  user: z.string().min(1, "User is required").max(63, "At most 63 characters"),
  password: z.string().min(1, "Password is required").max(1024, "At most 1024 characters"),
});
export type TPostgresCredential = z.infer<typeof ZPostgresCredentialSchema>;

const VERSION = "v1";

export class CredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CredentialError";
  }
}

/** A 32-byte key from its base64 (or base64url) text; throws a readable error otherwise. */
export function parseCredentialKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), "base64");
  if (key.length !== 32) throw new CredentialError("MERIDIAN_CREDENTIAL_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)");
  return key;
}

export function encryptCredential(key: Buffer, instanceId: string, credential: TPostgresCredential): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(instanceId, "utf8"));
  const body = Buffer.concat([cipher.update(JSON.stringify(ZPostgresCredentialSchema.parse(credential)), "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), tag.toString("base64url"), body.toString("base64url")].join(".");
}

export function decryptCredential(key: Buffer, instanceId: string, ciphertext: string): TPostgresCredential {
  const [version, iv, tag, body] = ciphertext.split(".");
  if (version !== VERSION || !iv || !tag || !body) throw new CredentialError("The stored credential is not in a format this version reads");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(instanceId, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    const text = Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
    return ZPostgresCredentialSchema.parse(JSON.parse(text));
  } catch {
    // Never echo the ciphertext or the key: say what to do.
    throw new CredentialError(
      "The stored credential cannot be decrypted with MERIDIAN_CREDENTIAL_KEY (a different key, or a row copied from another instance): set the credential again",
    );
  }
}
