import { readFile } from "node:fs/promises";
import { memoryStateStore, NextGenError, type TrustedKey, type TrustPolicyDocument, trustPolicy } from "@nextgen/core";
import { parseTrustJson, writeFileAtomic } from "@nextgen/core/internal";
import type { Command } from "commander";
import { writeOut } from "../terminal-text.js";
import { registerResetMark } from "./trust-reset-mark.js";

interface FileFlag {
  file: string;
}

async function readPolicy(file: string): Promise<TrustPolicyDocument> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new NextGenError("NG_ERR_TRUST_POLICY_INVALID", `cannot read ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  // Strictly, as the verifier reads it: an edit must not be made to one reading of a file
  // that the service would read another way (a duplicate "revoked").
  return parseTrustJson(text, file, "NG_ERR_TRUST_POLICY_INVALID") as TrustPolicyDocument;
}

/**
 * Validates the edited policy (the same checks verification uses: RSA exponent, one kid
 * per key by RFC 7638 thumbprint, …) and writes it atomically.
 */
async function savePolicy(file: string, document: TrustPolicyDocument): Promise<void> {
  trustPolicy(document, { stateStore: memoryStateStore() });
  await writeFileAtomic(file, `${JSON.stringify(document, null, 2)}\n`);
}

const commaList = (value: string): string[] =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

/**
 * `nextgen trust init | add-key | revoke | delegate | reset-mark`: edits `trust.json`
 * (and, for `reset-mark`, a rollback state file). Every edit is validated before it is
 * written (atomically), so the file is never left invalid.
 */
export function registerTrust(program: Command): void {
  const trust = program.command("trust").description("Create and edit a trust policy (trust.json).");
  const fileOption = ["-f, --file <file>", "trust policy file", "trust.json"] as const;

  trust
    .command("init")
    .description("Create an empty trust policy that requires signatures.")
    .option(...fileOption)
    .option("--force", "overwrite an existing file")
    .action(async (flags: FileFlag & { force?: boolean }) => {
      const document = {
        $schema: "https://nextgen-sdk.dev/schema/trust-policy.v1.json",
        version: 1,
        requireSignatures: true,
        algorithms: ["EdDSA", "ES256", "PS256", "RS256"],
        keys: [],
        revoked: [],
        delegations: [],
        defaultThreshold: 1,
      } as TrustPolicyDocument;
      const exists = await readFile(flags.file).then(
        () => true,
        () => false,
      );
      if (exists && !flags.force)
        throw new NextGenError("NG_ERR_TRUST_POLICY_INVALID", `${flags.file} exists; pass --force to overwrite it`);
      await savePolicy(flags.file, document);
      writeOut(`created ${flags.file}\n`);
    });

  trust
    .command("add-key")
    .description("Add a public key (a JWK, as printed by nextgen keygen) to the policy.")
    .argument("<jwk-file>", "file holding the public JWK, or - for stdin")
    .option(...fileOption)
    .option("--kid <kid>", "key id (default: the JWK's kid)")
    .option("--not-before <date>", "signatures count from this instant (ISO 8601)")
    .option("--not-after <date>", "signatures stop counting after this instant (ISO 8601)")
    .addHelpText(
      "after",
      "\nExample:\n  nextgen keygen --kid release-2026 -o release.pem | nextgen trust add-key - --not-after 2027-12-31T23:59:59Z",
    )
    .action(async (jwkFile: string, flags: FileFlag & { kid?: string; notBefore?: string; notAfter?: string }) => {
      const text = jwkFile === "-" ? await readStdin() : await readFile(jwkFile, "utf8");
      const parsed = parseTrustJson(text, jwkFile === "-" ? "stdin" : jwkFile, "NG_ERR_TRUST_POLICY_INVALID");
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        throw new NextGenError("NG_ERR_TRUST_POLICY_INVALID", `${jwkFile} does not hold a JWK (a JSON object)`);
      const { d: _private, ...jwk } = parsed as unknown as TrustedKey & { d?: string };
      if (_private !== undefined)
        throw new NextGenError(
          "NG_ERR_TRUST_POLICY_INVALID",
          `${jwkFile} holds a private key; add the public JWK only`,
        );
      const key: TrustedKey = { ...jwk, kid: flags.kid ?? jwk.kid };
      if (flags.notBefore) key.notBefore = flags.notBefore;
      if (flags.notAfter) key.notAfter = flags.notAfter;
      const document = await readPolicy(flags.file);
      if (document.keys.some((existing) => existing.kid === key.kid))
        throw new NextGenError("NG_ERR_TRUST_POLICY_INVALID", `${flags.file} already has a key "${key.kid}"`);
      document.keys.push(key);
      await savePolicy(flags.file, document);
      writeOut(`added key ${key.kid} to ${flags.file}\n`);
    });

  trust
    .command("revoke")
    .description("Revoke a key: its signatures stop counting everywhere the policy is used.")
    .argument("<kid>", "key id to revoke")
    .option(...fileOption)
    .action(async (kid: string, flags: FileFlag) => {
      const document = await readPolicy(flags.file);
      // A typo must not report success while the intended key stays trusted.
      const kids = (Array.isArray(document.keys) ? document.keys : []).map((key) => key?.kid);
      if (!kids.includes(kid))
        throw new NextGenError(
          "NG_ERR_TRUST_POLICY_INVALID",
          `${flags.file} has no key "${kid}" to revoke (its keys: ${kids.length === 0 ? "none" : kids.join(", ")})`,
        );
      document.revoked = [...new Set([...(document.revoked ?? []), kid])];
      await savePolicy(flags.file, document);
      writeOut(`revoked ${kid} in ${flags.file}\n`);
    });

  trust
    .command("delegate")
    .description("Require templates matching id patterns to be signed by <threshold> of the given keys.")
    .argument("<patterns...>", "id patterns: security/*, security/auditor, *")
    .requiredOption("--keys <kids>", "comma-separated key ids")
    .option("--threshold <m>", "distinct keys that must sign", "1")
    .option(...fileOption)
    .addHelpText("after", "\nExample:\n  nextgen trust delegate 'security/*' --keys sec-a,sec-b --threshold 2")
    .action(async (patterns: string[], flags: FileFlag & { keys: string; threshold: string }) => {
      const document = await readPolicy(flags.file);
      const threshold = Number(flags.threshold);
      const delegation = { ids: patterns, keys: commaList(flags.keys), threshold };
      // Replace a delegation for the same patterns; otherwise add it before the catch-alls.
      const others = (document.delegations ?? []).filter((existing) => existing.ids.join("\n") !== patterns.join("\n"));
      document.delegations = [
        ...others.filter((d) => !d.ids.includes("*")),
        delegation,
        ...others.filter((d) => d.ids.includes("*")),
      ];
      await savePolicy(flags.file, document);
      writeOut(`delegated ${patterns.join(", ")} to ${threshold} of ${delegation.keys.join(", ")} in ${flags.file}\n`);
    });

  registerResetMark(trust);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
