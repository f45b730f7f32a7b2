// Test helpers (not exported): a signed template, its factory and a served card.
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  Agent,
  type AgentFactory,
  type AgentTemplate,
  createAgentFactory,
  localKeySigner,
  memorySource,
  type RunContext,
  type Signer,
  signTemplate,
  type TrustedKey,
  trustPolicy,
} from "@nextgen/core";

/** A key pair with its core signer and trust.json entry. */
export interface CardKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: TrustedKey;
  signer: Signer;
}

export function makeKey(kid: string, algorithm: "EdDSA" | "ES256" = "ES256"): CardKey {
  const pair =
    algorithm === "EdDSA" ? generateKeyPairSync("ed25519") : generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    kid,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    publicJwk: { ...pair.publicKey.export({ format: "jwk" }), kid, alg: algorithm } as TrustedKey,
    signer: localKeySigner({ key: pair.privateKey, keyId: kid, algorithm }),
  };
}

export const auditorTemplate: AgentTemplate = {
  schemaVersion: 1,
  id: "security/auditor",
  version: "1.2.0",
  name: "Security Auditor",
  role: "specialist",
  domain: "security",
  description: "Finds vulnerabilities in code and configuration.",
  capabilities: ["vulnerability-scan", "threat-modeling"],
};

/** Hooks a test sets to see a `wait` task start and be aborted. */
export const waitHooks = { started: (): void => {}, aborted: (_reason: unknown): void => {} };

/**
 * Answers with the task reversed, so a test can tell the agent ran on its input; `fail`
 * throws, `wait` runs until its signal aborts.
 */
export class ReverseAgent extends Agent<string, string> {
  protected execute(task: string, context: RunContext): string | Promise<string> {
    if (task === "fail") throw new Error("internal detail that must not leak");
    if (task === "wait") {
      waitHooks.started();
      return new Promise((_resolve, reject) => {
        context.signal.addEventListener("abort", () => {
          waitHooks.aborted(context.signal.reason);
          reject(context.signal.reason);
        });
      });
    }
    return [...task].reverse().join("");
  }
}

/** A factory over the signed auditor template; `signedBy` lets a test sign with an untrusted key. */
export async function auditorFactory(
  key: CardKey,
  signedBy: CardKey = key,
): Promise<AgentFactory<{ specialist: typeof ReverseAgent }>> {
  const signed = await signTemplate(auditorTemplate, signedBy.signer);
  return createAgentFactory({
    source: memorySource([signed]),
    trust: trustPolicy({ version: 1, keys: [key.publicJwk] }),
    kinds: { specialist: ReverseAgent },
  });
}

/** Listens on 127.0.0.1, port 0; resolves with the base URL and a close function. */
export async function listen(
  listener: Parameters<typeof createServer>[1],
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
