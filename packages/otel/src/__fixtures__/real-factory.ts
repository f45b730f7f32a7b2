// A real factory over a real directory of signed, zstd-compressed templates: the cold path
// reads the file, decodes it (compression's codec), verifies the signature (core's trust
// policy) and resolves it.
import { generateKeyPairSync } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createZstdCodec, writeJsonZst } from "@nextgen/compression";
import {
  Agent,
  type AgentFactory,
  type AgentTemplate,
  createAgentFactory,
  directorySource,
  fileTier,
  localKeySigner,
  memoryStateStore,
  memoryTier,
  signTemplate,
  type TrustedKey,
  type TrustPolicy,
  toolRegistry,
  trustPolicy,
} from "@nextgen/core";

export class Specialist extends Agent<string, string> {
  protected execute(task: string): string {
    return `audited ${task}`;
  }
}

export const KEY_NOT_AFTER = "2027-12-31T23:59:59Z";

export interface RealFactory {
  factory: AgentFactory<{ specialist: typeof Specialist }>;
  trust: TrustPolicy;
  /** The file tier's directory (created on first use). */
  cacheDir: string;
  /** Another factory (a new process, say) over the same source and the same file tier. */
  sibling(): AgentFactory<{ specialist: typeof Specialist }>;
  cleanup(): Promise<void>;
}

/**
 * `kind` replaces the specialist kind (e.g. a worker-backed one); `untrusted` signs the
 * template with a key the policy does not know, so verification refuses it.
 */
export async function realFactory(kind: typeof Specialist = Specialist, untrusted = false): Promise<RealFactory> {
  const dir = await mkdtemp(join(tmpdir(), "nextgen-otel-"));
  const pair = generateKeyPairSync("ed25519");
  const signingKey = untrusted ? generateKeyPairSync("ed25519").privateKey : pair.privateKey;
  const signer = localKeySigner({ key: signingKey, keyId: untrusted ? "stranger" : "release-2026", algorithm: "EdDSA" });
  const template: AgentTemplate = {
    schemaVersion: 1,
    id: "security/auditor",
    version: "1.2.0",
    name: "Security Auditor",
    role: "specialist",
    description: "Finds vulnerabilities.",
    tools: ["semgrep"],
  };
  const codec = createZstdCodec();
  await mkdir(join(dir, "security"));
  await writeJsonZst(join(dir, "security", "auditor.json.zst"), await signTemplate(template, signer), codec);
  const key = { ...pair.publicKey.export({ format: "jwk" }), kid: "release-2026", alg: "EdDSA", notAfter: KEY_NOT_AFTER };
  const trust = trustPolicy({ version: 1, keys: [key as TrustedKey] }, { stateStore: memoryStateStore() });
  // L1 in memory, L2 a directory of signed bytes: a cold create misses both.
  const cacheDir = join(dir, ".cache");
  const build = () =>
    createAgentFactory({
      source: directorySource(dir, { codec }),
      cache: { layers: [memoryTier({ maxEntries: 100 }), fileTier({ dir: cacheDir, codec })] },
      trust,
      kinds: { specialist: kind },
      tools: toolRegistry({ semgrep: () => true }),
    });
  const factory = build();
  const siblings: AgentFactory<{ specialist: typeof Specialist }>[] = [];
  return {
    factory,
    trust,
    cacheDir,
    sibling: () => {
      const sibling = build();
      siblings.push(sibling);
      return sibling;
    },
    cleanup: async () => {
      for (const sibling of siblings) await sibling.close();
      await factory.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
