import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { localKeySigner, parseTemplate, signTemplate, type TrustedKey, type TrustPolicyDocument } from "@nextgen/core";
import { type JSONWebKeySet, SignJWT } from "jose";

/** The sample templates of the repository (`examples/templates`), from `src/dev/` or `dist/dev/`. */
export const SAMPLE_TEMPLATES_DIR: string = fileURLToPath(new URL("../../../templates/", import.meta.url));

const TEMPLATE_KEY_ID = "agent-service-dev";
const TOKEN_KEY_ID = "agent-service-dev-token";

/** What the embedded mode sets up at start. */
export interface EmbeddedTemplates {
  /** Where the signed copies are. */
  templatesDir: string;
  /** Trusts only the throwaway key that signed them. */
  trust: TrustPolicyDocument;
}

async function templateFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** A state directory: `STATE_DIR`, or a fresh temporary one. */
export async function stateDirectory(configured: string | undefined): Promise<string> {
  if (configured !== undefined) {
    await mkdir(configured, { recursive: true });
    return configured;
  }
  return mkdtemp(join(tmpdir(), "nextgen-agent-service-"));
}

/**
 * Signs copies of the sample templates with an Ed25519 key generated now and thrown away
 * (the private key never leaves this function), into `<stateDir>/templates`. Development
 * only: in production templates are signed in CI and `TEMPLATES_DIR` + `TRUST_FILE` are set.
 *
 * @example
 * ```ts
 * const { templatesDir, trust } = await signSampleTemplates(stateDir);
 * ```
 */
export async function signSampleTemplates(
  stateDir: string,
  samplesDir: string = SAMPLE_TEMPLATES_DIR,
): Promise<EmbeddedTemplates> {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const signer = localKeySigner({ key: privateKey, keyId: TEMPLATE_KEY_ID });
  const templatesDir = join(stateDir, "templates");
  for (const file of await templateFiles(samplesDir)) {
    const template = parseTemplate(await readFile(file), { location: file });
    const target = join(templatesDir, relative(samplesDir, file));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, `${JSON.stringify(await signTemplate(template, signer), null, 2)}\n`);
  }
  const key = { ...publicKey.export({ format: "jwk" }), kid: TEMPLATE_KEY_ID, alg: "EdDSA" } as TrustedKey;
  return { templatesDir, trust: { version: 1, keys: [key] } };
}

/** A development token issuer: its public JWKS, and a way to mint tokens. */
export interface DevelopmentIssuer {
  jwks: JSONWebKeySet;
  /** Mints a token for `subject` with `roles`, valid for `ttlSeconds`. */
  mint(subject: string, roles: readonly string[], ttlSeconds?: number): Promise<string>;
}

/**
 * A throwaway Ed25519 token key, for the embedded mode (no `AUTH_JWKS_FILE`): the service
 * trusts only it and prints an admin token minted with it.
 *
 * @example
 * ```ts
 * const issuer = developmentIssuer();
 * const token = await issuer.mint("dev-admin", ["admin"]);
 * ```
 */
export function developmentIssuer(): DevelopmentIssuer {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = { ...publicKey.export({ format: "jwk" }), kid: TOKEN_KEY_ID, alg: "EdDSA", use: "sig" };
  return {
    jwks: { keys: [jwk] } as JSONWebKeySet,
    mint: (subject, roles, ttlSeconds = 12 * 3600) => mint(privateKey, subject, roles, ttlSeconds),
  };
}

function mint(key: KeyObject, subject: string, roles: readonly string[], ttlSeconds: number): Promise<string> {
  return new SignJWT({ roles: [...roles] })
    .setProtectedHeader({ alg: "EdDSA", kid: TOKEN_KEY_ID, typ: "JWT" })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key);
}
