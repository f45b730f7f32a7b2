import { readFile } from "node:fs/promises";
import { type LocalKeySignerOptions, OptionsError } from "@nextgen/core";

type SigningKey = LocalKeySignerOptions["key"];

const PUBLIC_KEY_HINT =
  "sign needs the private key: the PEM file nextgen keygen wrote with --out (the JWK it printed is the public half, for trust.json)";

/**
 * Reads `--key` for signing: a PKCS#8 PEM or a private JWK. A public key (a JWK without `d`,
 * or a `PUBLIC KEY` PEM) is refused with a message that says so and names the file to use,
 * instead of a generic "not a readable private key". @internal
 *
 * @example
 * ```ts
 * const signer = localKeySigner({ key: await readSigningKey("release-2026.pem"), keyId: "release-2026" });
 * ```
 */
export async function readSigningKey(file: string): Promise<SigningKey> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const errno = (error as { code?: unknown }).code;
    throw new OptionsError("--key", `cannot read ${file}${typeof errno === "string" ? ` (${errno})` : ""}`, {
      cause: error,
    });
  }
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    let jwk: unknown;
    try {
      jwk = JSON.parse(trimmed);
    } catch {
      throw new OptionsError("--key", `${file} is neither a PEM private key nor a JSON Web Key`);
    }
    if (typeof jwk !== "object" || jwk === null || typeof (jwk as { kty?: unknown }).kty !== "string") {
      throw new OptionsError("--key", `${file} is JSON but not a JSON Web Key (no "kty")`);
    }
    if ((jwk as { d?: unknown }).d === undefined) {
      throw new OptionsError("--key", `${file} is a public key (a JWK without "d"); ${PUBLIC_KEY_HINT}`);
    }
    return jwk as SigningKey;
  }
  if (/-----BEGIN (RSA )?PUBLIC KEY-----/.test(trimmed)) {
    throw new OptionsError("--key", `${file} is a public key (PEM "PUBLIC KEY"); ${PUBLIC_KEY_HINT}`);
  }
  return text;
}
