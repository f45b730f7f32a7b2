import type { AgentTemplate, TemplateDigest } from "../template/types.js";
import { allowListVerifier, testDigest } from "./allow-list-verifier.js";
import type { LoadedValue } from "./tiered-cache-options.js";

/** What the tiered-cache tests put in L1: a frozen template and its digest. @internal */
export interface FrozenTemplate {
  readonly template: Readonly<AgentTemplate>;
  readonly digest: TemplateDigest;
}

const encoder = new TextEncoder();

/** A template of `id` at `version`, serialised. @internal */
export function templateBytes(id: string, version: string, description = "test template"): Uint8Array {
  const template: AgentTemplate = { schemaVersion: 1, id, version, name: id, role: "specialist", description };
  return encoder.encode(JSON.stringify(template));
}

/** See {@link templatePipeline}. @internal */
export interface TemplatePipeline {
  load(key: string): Promise<LoadedValue<FrozenTemplate> | undefined>;
  admit(bytes: Uint8Array): Promise<FrozenTemplate>;
  verifier: ReturnType<typeof allowListVerifier>;
  counters: { sourceReads: number };
  publish(key: string, bytes: Uint8Array): void;
  fail(error: Error | undefined): void;
}

/**
 * A fake source plus the parse → verify → freeze pipeline the factory runs, with
 * counters of source reads and verifications, for the tiered-cache tests.
 * @internal
 */
export function templatePipeline(initial: Record<string, Uint8Array>): TemplatePipeline {
  const files = new Map(Object.entries(initial));
  const verifier = allowListVerifier([]);
  const counters = { sourceReads: 0 };
  let failing: Error | undefined;
  const trustBytes = (bytes: Uint8Array): void => {
    verifier.allowed.add(testDigest(JSON.parse(new TextDecoder().decode(bytes)) as AgentTemplate));
  };
  for (const bytes of files.values()) trustBytes(bytes);

  const admit = async (bytes: Uint8Array): Promise<FrozenTemplate> => {
    const template = JSON.parse(new TextDecoder().decode(bytes)) as AgentTemplate;
    const verified = await verifier.verify(template);
    return Object.freeze({ template: Object.freeze(template), digest: verified.digest });
  };
  const load = async (key: string): Promise<LoadedValue<FrozenTemplate> | undefined> => {
    counters.sourceReads += 1;
    await Promise.resolve();
    if (failing !== undefined) throw failing;
    const bytes = files.get(key);
    if (bytes === undefined) return undefined;
    return { value: await admit(bytes), bytes };
  };
  return {
    load,
    admit,
    verifier,
    counters,
    /** Publishes a new (trusted) version under `key`. */
    publish(key: string, bytes: Uint8Array): void {
      trustBytes(bytes);
      files.set(key, bytes);
    },
    /** Makes every source read fail with `error` (or succeed again with `undefined`). */
    fail(error: Error | undefined): void {
      failing = error;
    },
  };
}
