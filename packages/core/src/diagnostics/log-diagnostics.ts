import diagnosticsChannel from "node:diagnostics_channel";
import { OptionsError } from "../errors/options-error.js";
import { CACHE_EVICT_CHANNEL, TEMPLATE_RELOAD_CHANNEL } from "./channels.js";
import type { DiagnosticsLogger } from "./diagnostics-logger.js";
import type { CacheEvictMessage, TemplateReloadMessage } from "./payloads.js";

/** Throws `OptionsError` unless `logger` has `info`, `warn` and `error` functions. @internal */
export function assertLogger(logger: unknown, name: string): asserts logger is DiagnosticsLogger {
  const candidate = logger as Partial<Record<keyof DiagnosticsLogger, unknown>> | null;
  if (
    typeof candidate !== "object" ||
    candidate === null ||
    typeof candidate.info !== "function" ||
    typeof candidate.warn !== "function" ||
    typeof candidate.error !== "function"
  ) {
    throw new OptionsError(name, "must be a logger with info, warn and error methods (pino-compatible)");
  }
}

/** Logs one reload outcome: refused → warn, applied/removed → info. Never throws. @internal */
export function logReload(logger: DiagnosticsLogger, message: TemplateReloadMessage): void {
  try {
    if (message.outcome === "refused") {
      logger.warn(
        { templateId: message.templateId, code: message.code, reason: message.reason },
        `nextgen: reload of ${message.templateId} refused (${message.code}); the last good version stays live`,
      );
    } else {
      logger.info({ ...message }, `nextgen: reload of ${message.templateId} ${message.outcome}`);
    }
  } catch {
    // A logger's failure must never reach the reload.
  }
}

/**
 * Writes the SDK's diagnostics that need attention to `logger`, for every factory in
 * the process: hot reloads (refused → `warn`, applied or removed → `info`) and cache
 * entries refused by verification (`warn`). Returns the function that stops it. For one
 * factory only, pass `logger` to `createAgentFactory` instead.
 *
 * @example
 * ```ts
 * import pino from "pino";
 * const stop = logDiagnostics(pino());
 * // … on shutdown
 * stop();
 * ```
 */
export function logDiagnostics(logger: DiagnosticsLogger): () => void {
  assertLogger(logger, "logger");
  const onReload = (message: unknown): void => logReload(logger, message as TemplateReloadMessage);
  const onEvict = (message: unknown): void => {
    const evicted = message as CacheEvictMessage;
    if (evicted.reason !== "refused") return;
    try {
      logger.warn(
        { tier: evicted.tier, key: evicted.key },
        `nextgen: cache tier ${evicted.tier} held an entry for ${evicted.key} that failed verification; it was evicted`,
      );
    } catch {
      // Never into the cache.
    }
  };
  diagnosticsChannel.subscribe(TEMPLATE_RELOAD_CHANNEL, onReload);
  diagnosticsChannel.subscribe(CACHE_EVICT_CHANNEL, onEvict);
  return () => {
    diagnosticsChannel.unsubscribe(TEMPLATE_RELOAD_CHANNEL, onReload);
    diagnosticsChannel.unsubscribe(CACHE_EVICT_CHANNEL, onEvict);
  };
}
