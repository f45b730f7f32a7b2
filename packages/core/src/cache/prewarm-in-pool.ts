// `factory.prewarm(ids, { pool: true })`: the CPU of a cold start (strict parse, RFC 8785
// canonicalisation, hashing, JWS header decoding and signature evaluation) runs in the
// agent pool; trust decisions stay here. See docs/pool.md, "Bulk verification at start-up".
import { OptionsError } from "../errors/options-error.js";
import { type AgentPool, BULK_VERIFY_MODULE } from "../pool/factory-pool.js";
import type { VerifyTemplatesBatch, VerifyTemplatesResult } from "../pool/verify-templates.js";
import type { SourceEntry, TemplateSource } from "../source/template-source.js";
import { deepFreeze } from "../template/merge-layer.js";
import type { AgentTemplate } from "../template/types.js";
import type { TemplateVerifier } from "../trust/template-verifier.js";
import { TrustPolicy } from "../trust/trust-policy.js";
import { admitWorkerVerdict } from "../trust/worker-verdict.js";
import type { PrewarmOptions } from "./cache-options.js";

export type { PrewarmOptions } from "./cache-options.js";

/** Throws `OptionsError` for bad `prewarm` options. @internal */
export function validatePrewarmOptions(options: PrewarmOptions): Required<PrewarmOptions> {
  if (typeof options !== "object" || options === null) throw new OptionsError("options", "must be an object");
  const { pool = false, batchSize = 64 } = options;
  if (typeof pool !== "boolean") throw new OptionsError("options.pool", "must be a boolean");
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
    throw new OptionsError("options.batchSize", "must be an integer from 1 to 10000 (templates per task)");
  return { pool, batchSize };
}

/** What the pooled prewarm needs from the factory. @internal */
export interface PoolPrewarmParts<L> {
  source: TemplateSource;
  trust: TemplateVerifier | undefined;
  pool: AgentPool | undefined;
  clock: () => number;
  /** The normal main-thread load (used for every template the pool did not vouch for). */
  load: (id: string, version: string | undefined) => Promise<L>;
  /** Loads with `leaf` as the already-parsed template of `id` (still verified on the main thread). */
  loadWithLeaf: (id: string, version: string | undefined, leaf: AgentTemplate) => Promise<L>;
}

/** The policy and the module to use, or undefined when the pool path does not apply. @internal */
export function poolPathOf(
  trust: TemplateVerifier | undefined,
  pool: AgentPool | undefined,
): { policy: TrustPolicy; module: string } | undefined {
  if (!(trust instanceof TrustPolicy) || !trust.requireSignatures || pool === undefined) return undefined;
  const module = (pool as AgentPool & { [BULK_VERIFY_MODULE]?: string })[BULK_VERIFY_MODULE];
  return typeof module === "string" ? { policy: trust, module } : undefined;
}

/**
 * Reads each `{ id, version }` from the source here, verifies their bytes in batches in
 * the pool, then loads each one on the main thread: a worker's verdict only primes the
 * policy's memo for the digest recomputed here (`admitWorkerVerdict`); `policy.verify`
 * still runs here (rollback marks). Anything the pool refused or could not run is loaded
 * by the plain main-thread path, so refusals carry exactly that path's codes. @internal
 */
export async function loadThroughPool<L>(
  parts: PoolPrewarmParts<L>,
  path: { policy: TrustPolicy; module: string },
  refs: readonly { id: string; version: string | undefined }[],
  batchSize: number,
): Promise<PromiseSettledResult<L>[]> {
  const pool = parts.pool as AgentPool;
  const document = path.policy.document;
  const entries = await Promise.all(
    refs.map(({ id, version }) => parts.source.get(id, version).catch((): SourceEntry | undefined => undefined)),
  );
  const verdicts: (VerifyTemplatesResult | undefined)[] = new Array(refs.length).fill(undefined);
  const indexes = entries.flatMap((entry, index) => (entry === undefined ? [] : [index]));
  const batches: Promise<void>[] = [];
  for (let start = 0; start < indexes.length; start += batchSize) {
    const chunk = indexes.slice(start, start + batchSize);
    const payload: VerifyTemplatesBatch = {
      document,
      nowMs: parts.clock(),
      items: chunk.map((index) => {
        const entry = entries[index] as SourceEntry;
        return { bytes: entry.bytes, location: entry.location };
      }),
    };
    batches.push(
      pool.run({ module: path.module, payload }).then(
        (answer) => {
          if (!Array.isArray(answer)) return;
          chunk.forEach((index, position) => {
            verdicts[index] = answer[position] as VerifyTemplatesResult | undefined;
          });
        },
        // A full queue or a crashed worker costs speed only: those load on the main thread.
        () => {},
      ),
    );
  }
  await Promise.all(batches);
  return Promise.allSettled(
    refs.map(({ id, version }, index) => {
      const verdict = verdicts[index];
      const entry = entries[index];
      if (verdict?.ok !== true || entry === undefined) return parts.load(id, version);
      const template = deepFreeze(verdict.template);
      // The same check as the loader's: the bytes served as id@version must hold id@version.
      if (template.id !== entry.id || template.version !== entry.version) return parts.load(id, version);
      // Not admitted (digest, keys or document do not match): trust nothing the worker said.
      if (!admitWorkerVerdict(path.policy, template, document, verdict)) return parts.load(id, version);
      return parts.loadWithLeaf(id, version, template);
    }),
  );
}
