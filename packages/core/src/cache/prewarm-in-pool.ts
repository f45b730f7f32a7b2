// `factory.prewarm(ids, { pool: true })`: the strict parse of each template's bytes runs
// in the factory's agent pool; verification and every trust decision stay on the main
// thread, over the parsed template, as in a plain load. See docs/pool.md, "Parsing at start-up".
import { OptionsError } from "../errors/options-error.js";
import type { AgentPool } from "../pool/agent-pool-types.js";
import type { ParseTemplatesBatch, ParseTemplatesResult } from "../pool/parse-templates.js";
import { poolModuleUrl } from "../pool/pool-module-url.js";
import type { SourceEntry, TemplateSource } from "../source/template-source.js";
import { deepFreeze } from "../template/merge-layer.js";
import type { PrewarmOptions } from "./prewarm-options.js";
import type { SourceRead } from "./source-read.js";

/**
 * Throws `OptionsError` for bad `prewarm` options. @internal
 *
 * @example
 * ```ts
 * const { pool, batchSize } = validatePrewarmOptions({ pool: true }); // batchSize 64
 * ```
 */
export function validatePrewarmOptions(options: PrewarmOptions): Required<PrewarmOptions> {
  if (typeof options !== "object" || options === null) throw new OptionsError("options", "must be an object");
  const { pool = false, batchSize = 64 } = options;
  if (typeof pool !== "boolean") throw new OptionsError("options.pool", "must be a boolean");
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
    throw new OptionsError("options.batchSize", "must be an integer from 1 to 10000 (templates per task)");
  return { pool, batchSize };
}

/**
 * What the pooled prewarm needs from the factory. @internal
 *
 * @example
 * ```ts
 * const parts: PoolPrewarmParts<Loaded> = { source, pool, load, loadRead };
 * ```
 */
export interface PoolPrewarmParts<L> {
  source: TemplateSource;
  pool: AgentPool;
  /** The normal main-thread load (used for every template the pool did not parse). */
  load: (id: string, version: string | undefined) => Promise<L>;
  /** Loads `id` from what was read and parsed already (identity-checked and verified on the main thread like any other). */
  loadRead: (id: string, version: string | undefined, read: SourceRead) => Promise<L>;
}

let parseModule: string | undefined;

/**
 * File URL of the pool's parse module, named by each task (the agent pool runs any module). @internal
 *
 * @example
 * ```ts
 * await pool.run({ module: parseTemplatesModule(), payload: { items } });
 * ```
 */
export function parseTemplatesModule(): string {
  parseModule ??= poolModuleUrl("parse-templates").href;
  return parseModule;
}

/**
 * Reads each `{ id, version }` from the source here, parses their bytes in batches in the
 * pool, then loads each one on the main thread with the parsed template as its leaf: the
 * loader still checks that the bytes served as `id@version` hold `id@version`, verifies the
 * signatures over that very object, and checks rollback marks. Anything the pool refused
 * or could not run is loaded by the plain main-thread path, so failures carry exactly that
 * path's codes. @internal
 *
 * @example
 * ```ts
 * const settled = await loadThroughPool(parts, [{ id: "code/analyzer", version: undefined }], 64);
 * ```
 */
export async function loadThroughPool<L>(
  parts: PoolPrewarmParts<L>,
  refs: readonly { id: string; version: string | undefined }[],
  batchSize: number,
): Promise<PromiseSettledResult<L>[]> {
  const entries = await Promise.all(
    refs.map(({ id, version }) => parts.source.get(id, version).catch((): SourceEntry | undefined => undefined)),
  );
  const parsed: (ParseTemplatesResult | undefined)[] = new Array(refs.length).fill(undefined);
  const indexes = entries.flatMap((entry, index) => (entry === undefined ? [] : [index]));
  const module = parseTemplatesModule();
  const batches: Promise<void>[] = [];
  for (let start = 0; start < indexes.length; start += batchSize) {
    const chunk = indexes.slice(start, start + batchSize);
    const payload: ParseTemplatesBatch = {
      items: chunk.map((index) => {
        const entry = entries[index] as SourceEntry;
        return { bytes: entry.bytes, location: entry.location };
      }),
    };
    batches.push(
      parts.pool.run({ module, payload }).then(
        (answer) => {
          if (!Array.isArray(answer)) return;
          chunk.forEach((index, position) => {
            parsed[index] = answer[position] as ParseTemplatesResult | undefined;
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
      const result = parsed[index];
      const entry = entries[index];
      if (result?.ok !== true || entry === undefined) return parts.load(id, version);
      // The loader's own check: the bytes served as id@version must hold id@version.
      const { template } = result;
      if (template.id !== entry.id || template.version !== entry.version) return parts.load(id, version);
      return parts.loadRead(id, version, { entry, template: deepFreeze(template) });
    }),
  );
}
