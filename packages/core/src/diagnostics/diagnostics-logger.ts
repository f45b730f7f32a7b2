/**
 * A logger the SDK can write to: any pino-compatible `{ info, warn, error }` taking a
 * structured object and a message (pino, a pino child, Fastify's `app.log`, `console`).
 *
 * @example
 * ```ts
 * const logger: DiagnosticsLogger = pino();
 * createAgentFactory({ source, trust, kinds, logger, cache: { layers: [memoryTier()], hotReload: true } });
 * ```
 */
export interface DiagnosticsLogger {
  /** Routine events (a reload applied, a template removed). */
  info(details: object, message?: string): void;
  /** Refusals that keep the service running on the last good state (a bad reload, a refused cache entry). */
  warn(details: object, message?: string): void;
  /** Failures that need a person. */
  error(details: object, message?: string): void;
}
