import type { AgentFactoryOptions, ToolRegistry } from "@nextgen/core";
import type { QuickstartContext } from "./context.js";
import type { SampleKinds } from "./kinds/index.js";
import type { ReviewTask } from "./review-task.js";
import type { SampleTool } from "./tools/index.js";

/** What the factory step hands to later steps (trust, cache, pool, otel) in `context.shared`. */
export interface FactoryShared {
  /** The agent classes, one per role the samples use. */
  kinds: SampleKinds;
  /** The tool registry holding every sample tool. */
  tools: ToolRegistry;
  /** The tool implementations, to build another registry. */
  toolImplementations: Readonly<Record<string, SampleTool>>;
  /**
   * The options the factory step used: a source over the samples, kinds, tools, and a
   * trust policy that accepts unsigned templates (the trust step replaces it).
   */
  options: AgentFactoryOptions<SampleKinds>;
  /** The change every agent reviews. */
  task: ReviewTask;
}

/** Key of {@link FactoryShared} in `context.shared`. */
export const FACTORY_SHARED = "factory";

/** The factory step's shared objects; throws if the factory step has not run. */
export function factoryShared(context: QuickstartContext): FactoryShared {
  const shared = context.shared.get(FACTORY_SHARED) as FactoryShared | undefined;
  if (!shared) throw new Error("the factory step must run before this one");
  return shared;
}
