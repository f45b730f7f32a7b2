// Options of `factory.prewarm`. A leaf: the factory's types import it without any implementation.

/**
 * Options of `factory.prewarm`.
 *
 * @example
 * ```ts
 * const factory = createAgentFactory({ source, trust, kinds, pool: { maxThreads: "auto" } });
 * const { loaded, failed } = await factory.prewarm(allIds, { pool: true, batchSize: 64 });
 * ```
 */
export interface PrewarmOptions {
  /**
   * Parse the templates' bytes (the strict parser) in the factory's `pool`, in batches,
   * instead of on the main thread. Signature verification, rollback checks and every trust
   * decision stay on the main thread, over the parsed template, exactly as in a plain load.
   * Without a factory `pool`, prewarm parses on the main thread as usual.
   * @default false
   */
  pool?: boolean;
  /**
   * Templates per pool task (fewer messages; a batch is one worker's work).
   * @default 64
   */
  batchSize?: number;
}
