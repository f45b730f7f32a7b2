import { generateKeyPairSync } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import {
  fileStateStore,
  localKeySigner,
  parseTemplate,
  signTemplate,
  type TrustedKey,
  trustPolicy,
} from "@nextgen/core";
import type { QuickstartStep } from "../context.js";
import { SIGNING_SHARED, type SigningShared } from "../shared.js";

const KEY_ID = "quickstart-demo";

async function templateFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Runs first, because no agent in this demo is created from an unverified template: makes
 * a throwaway Ed25519 key, signs every sample template into the work directory (what
 * `nextgen sign` does) and builds the trust policy every later step's factory verifies with.
 */
export const signingStep: QuickstartStep = async (context) => {
  context.heading("Signing: a throwaway key signs the sample templates");
  // In production the private key stays in CI or a KMS; the policy only ever holds public keys.
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const signer = localKeySigner({ key: privateKey, keyId: KEY_ID });
  const publicJwk = { ...publicKey.export({ format: "jwk" }), kid: KEY_ID, alg: "EdDSA" } as TrustedKey;

  const signedDir = join(context.workDir, "signed-templates");
  const files = await templateFiles(context.samplesDir);
  for (const file of files) {
    const template = parseTemplate(await readFile(file), { location: file });
    const target = join(signedDir, relative(context.samplesDir, file));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, `${JSON.stringify(await signTemplate(template, signer), null, 2)}\n`);
  }

  // Rollback high-water marks persist in a file, so a restarted service still refuses an
  // older version once a newer one was accepted.
  const keys = [publicJwk];
  const trust = trustPolicy(
    { version: 1, keys },
    { stateStore: fileStateStore(join(context.workDir, "trust-state.json")) },
  );
  const shared: SigningShared = { keyId: KEY_ID, keys, signedDir, trust };
  context.shared.set(SIGNING_SHARED, shared);
  console.log(
    `signed ${files.length} templates with Ed25519 kid "${KEY_ID}" into ${relative(context.workDir, signedDir)}/; ` +
      `every factory below verifies them (requireSignatures: true, the default)`,
  );
};
