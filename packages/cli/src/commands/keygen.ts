import { generateKeyPair, type KeyObject } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { OptionsError, type SignatureAlgorithm } from "@nextgen/core";
import { SIGNATURE_ALGORITHMS, writeFileAtomic } from "@nextgen/core/internal";
import { type Command, Option } from "commander";
import { writeErr, writeOut } from "../terminal-text.js";

const generate = promisify(generateKeyPair);

interface KeygenFlags {
  alg: SignatureAlgorithm;
  kid?: string;
  out: string;
  force?: boolean;
}

/** Generates a key pair for `algorithm` as Node `KeyObject`s. @internal */
export function generateSigningKeyPair(
  algorithm: SignatureAlgorithm,
): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  if (algorithm === "EdDSA") return generate("ed25519");
  if (algorithm === "ES256") return generate("ec", { namedCurve: "P-256" });
  return generate("rsa", { modulusLength: 3072 });
}

/**
 * `nextgen keygen`: creates a signing key. The private key is written as PKCS#8 PEM
 * with mode 0600 (never over an existing file unless `--force`); the public JWK, ready
 * for `nextgen trust add-key`, is printed.
 */
export function registerKeygen(program: Command): void {
  program
    .command("keygen")
    .description("Create a signing key: private key to a 0600 PEM file, public JWK to stdout.")
    .addOption(
      new Option("--alg <algorithm>", "signature algorithm").choices([...SIGNATURE_ALGORITHMS]).default("EdDSA"),
    )
    .option("--kid <kid>", "key id written in signatures (default: <alg>-<date>)")
    .requiredOption("-o, --out <file>", "where to write the private key (PKCS#8 PEM)")
    .option("--force", "overwrite an existing private key file")
    .addHelpText(
      "after",
      "\nExample:\n  nextgen keygen --kid release-2026 --out release-2026.pem > release-2026.jwk.json",
    )
    .action(async (flags: KeygenFlags) => {
      const kid = flags.kid ?? `${flags.alg.toLowerCase()}-${new Date().toISOString().slice(0, 10)}`;
      if (kid.length === 0) throw new OptionsError("--kid", "must not be empty");
      const { privateKey, publicKey } = await generateSigningKeyPair(flags.alg);
      const pem = privateKey.export({ format: "pem", type: "pkcs8" }) as string;
      if (flags.force) {
        // Never write key bytes into the existing file: it may be world-readable (its old
        // mode) or a symlink. A fresh 0600 file renamed over it replaces it whole.
        await writeFileAtomic(flags.out, pem, { mode: 0o600 });
      } else {
        // `wx` refuses to follow or replace an existing file; mode applies at creation, before any byte is written.
        await writeFile(flags.out, pem, { mode: 0o600, flag: "wx" });
      }
      const jwk = { ...publicKey.export({ format: "jwk" }), kid, alg: flags.alg, use: "sig" };
      writeOut(`${JSON.stringify(jwk, null, 2)}\n`);
      writeErr(`nextgen: private key written to ${flags.out} (mode 0600); keep it secret.\n`);
    });
}
