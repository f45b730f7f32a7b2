// What the create, cache and observability benchmarks share: the agent class, the
// security-auditor template signed by a throwaway Ed25519 key, and a policy that trusts
// only that key's public half and requires signatures — the path a user runs.
import { generateKeyPairSync } from "node:crypto";
import { Agent, localKeySigner, memoryStateStore, signTemplate, toolRegistry, trustPolicy } from "@nextgen/core";

/** The agent kind every benchmark creates; `execute` is trivial on purpose. */
export class Specialist extends Agent {
  execute(task) {
    return task;
  }
}

export const AUDITOR_ID = "security/auditor";

/** The unsigned template (the shape of `examples/templates/security/auditor.json`). */
export const auditorTemplate = Object.freeze({
  schemaVersion: 1,
  id: AUDITOR_ID,
  version: "1.2.0",
  name: "Security Auditor",
  role: "specialist",
  description: "Finds vulnerabilities in code and configuration.",
  capabilities: ["vulnerability-scan", "threat-modeling"],
  tools: ["secret-scan"],
  config: { model: "gpt-4o", temperature: 0.2, timeoutMs: 300_000, maxRetries: 3 },
  metadata: { tier: "critical", owner: "security-team", tags: ["audit"] },
});

/** The host tools the template names. */
export function auditorTools() {
  return toolRegistry({ "secret-scan": (text) => /AKIA[0-9A-Z]{16}/.test(text) });
}

/**
 * Signs the auditor template with a fresh key and returns it with a policy trusting
 * only that key (`requireSignatures: true`).
 */
export async function signedAuditor(keyId) {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const template = await signTemplate(auditorTemplate, localKeySigner({ key: privateKey, keyId }));
  const trust = trustPolicy(
    {
      version: 1,
      keys: [{ ...publicKey.export({ format: "jwk" }), kid: keyId, alg: "EdDSA" }],
      requireSignatures: true,
    },
    { stateStore: memoryStateStore() },
  );
  return { template, trust };
}
