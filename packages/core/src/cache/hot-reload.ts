import type { Clock } from "../clock/clock.js";
import type { AuditEvent, TemplateReloadMessage } from "../diagnostics/payloads.js";
import { plain, publish } from "../diagnostics/publish.js";
import { NextGenError } from "../errors/next-gen-error.js";
import { errorCode } from "../errors/uncoded-error.js";
import type { SourceChange } from "../source/template-source.js";
import type { TemplateDigest } from "../template/types.js";

/** What hot reload needs from the factory. @internal */
export interface HotReloadParts<Loaded extends { template: { version: string; digest: TemplateDigest } }> {
  /** The source's `watch`. */
  watch: (listener: (change: SourceChange) => void) => () => void;
  /** The full pipeline straight from the source (decode, parse, verify, validate, resolve, tools); rejects when bad. */
  validate: (id: string) => Promise<Loaded>;
  /** Makes `loaded` the version new creates get (drop the old one everywhere, keep this one). */
  swap: (id: string, loaded: Loaded) => Promise<void>;
  /** Forgets `id` everywhere (its file was removed). */
  remove: (id: string) => Promise<void>;
  /** Wall clock (milliseconds since the epoch), for audit events. */
  clock: Clock;
  /** Called with every outcome (the factory's `logger`), so refusals are never silent. */
  onOutcome?: ((message: TemplateReloadMessage) => void) | undefined;
  /** Also receives each audit event (the factory's `audit` sink), subscribers or not. */
  audit?: (event: AuditEvent) => void;
}

/**
 * Applies source changes as they come: each changed template goes through the whole
 * pipeline first and is swapped in only if it passes; a bad update keeps the last good
 * version and is reported on `nextgen:template.reload` and `nextgen:audit`. Agents
 * already created keep the template they were created from. Changes of one id are
 * applied in order. Returns the function that stops watching.
 * @internal
 */
export function startHotReload<Loaded extends { template: { version: string; digest: TemplateDigest } }>(
  parts: HotReloadParts<Loaded>,
): { stop(): void; settled(): Promise<void> } {
  const queues = new Map<string, Promise<void>>();
  const audit = (event: AuditEvent): void => {
    publish(plain.audit, () => event);
    parts.audit?.(event);
  };

  const apply = async (change: SourceChange): Promise<void> => {
    const { id } = change;
    if (change.type === "removed") {
      await parts.remove(id);
      parts.onOutcome?.({ templateId: id, outcome: "removed" });
      publish(plain.templateReload, () => ({ templateId: id, outcome: "removed" as const }));
      audit({
        type: "template.reload",
        time: parts.clock.now(),
        templateId: id,
        verdict: "removed",
      });
      return;
    }
    let loaded: Loaded;
    try {
      loaded = await parts.validate(id);
    } catch (error) {
      const code = errorCode(error);
      // Coded errors name the file, never its bytes; an uncoded one (a host source's own
      // JSON.parse, say) may quote the content, so only its class is reported.
      const reason = NextGenError.is(error)
        ? error.message
        : `${error instanceof Error ? error.name : typeof error} while loading ${id}`;
      parts.onOutcome?.({ templateId: id, outcome: "refused", code, reason });
      publish(plain.templateReload, () => ({ templateId: id, outcome: "refused" as const, code, reason }));
      audit({
        type: "template.reload",
        time: parts.clock.now(),
        templateId: id,
        verdict: "refused",
        reason: code,
        detail: { message: reason, location: change.location },
      });
      return;
    }
    await parts.swap(id, loaded);
    const { version, digest } = loaded.template;
    parts.onOutcome?.({ templateId: id, outcome: "applied", version, digest });
    publish(plain.templateReload, () => ({ templateId: id, outcome: "applied" as const, version, digest }));
    audit({
      type: "template.reload",
      time: parts.clock.now(),
      templateId: id,
      version,
      digest,
      verdict: "applied",
    });
  };

  const stop = parts.watch((change) => {
    const previous = queues.get(change.id) ?? Promise.resolve();
    // Background work: never throws into the watcher.
    const next = previous.then(() => apply(change)).catch(() => undefined);
    queues.set(change.id, next);
    void next.finally(() => {
      if (queues.get(change.id) === next) queues.delete(change.id);
    });
  });
  return {
    stop,
    async settled(): Promise<void> {
      while (queues.size > 0) await Promise.all(queues.values());
    },
  };
}
