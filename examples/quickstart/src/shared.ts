import type { AgentFactoryOptions, ToolRegistry, TrustedKey, TrustPolicy } from "@nextgen/core";
import type { WasiTool } from "@nextgen/core/pool";
import type { QuickstartContext } from "./context.js";
import type { SampleKinds } from "./kinds/index.js";
import type { ReviewTask } from "./review-task.js";
import type { SampleTool } from "./tools/index.js";

/** What the signing step hands to later steps in `context.shared`. */
export interface SigningShared {
  /** The `kid` of the throwaway signing key. */
  keyId: string;
  /** The trusted public keys (JWK with `kid`), to build another policy over the same keys. */
  keys: TrustedKey[];
  /** The signed copies of the sample templates. */
  signedDir: string;
  /** The policy trusting `keys`; signatures are required and rollback marks persist in the work directory. */
  trust: TrustPolicy;
}

/** What the factory step hands to later steps (trust, cache, pool) in `context.shared`. */
export interface FactoryShared {
  /** The agent classes, one per role the samples use. */
  kinds: SampleKinds;
  /** The tool registry holding every sample tool (`diff-stats` as a WASI module). */
  tools: ToolRegistry;
  /** The sandboxed `diff-stats` tool in `tools`; the demo closes it (its pool) at the end. */
  sandboxed: WasiTool;
  /** The tool implementations, to build another registry. */
  toolImplementations: Readonly<Record<string, SampleTool>>;
  /**
   * The options the factory step used: a source over the signed samples, kinds, tools, and
   * the signing step's trust policy, so every factory built from them verifies signatures.
   */
  options: AgentFactoryOptions<SampleKinds>;
  /** The change every agent reviews. */
  task: ReviewTask;
}

/** Key of {@link SigningShared} in `context.shared`. */
export const SIGNING_SHARED = "signing";

/** Key of {@link FactoryShared} in `context.shared`. */
export const FACTORY_SHARED = "factory";

/** The signing step's shared objects; throws if the signing step has not run. */
export function signingShared(context: QuickstartContext): SigningShared {
  const shared = context.shared.get(SIGNING_SHARED) as SigningShared | undefined;
  if (!shared) throw new Error("the signing step must run before this one");
  return shared;
}

/** The factory step's shared objects; throws if the factory step has not run. */
export function factoryShared(context: QuickstartContext): FactoryShared {
  const shared = context.shared.get(FACTORY_SHARED) as FactoryShared | undefined;
  if (!shared) throw new Error("the factory step must run before this one");
  return shared;
}
