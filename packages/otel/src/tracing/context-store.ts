import { AsyncLocalStorage } from "node:async_hooks";
import { type Context, context, createContextKey, ROOT_CONTEXT } from "@opentelemetry/api";

/** Where the context of a traced operation lives: how to read it and how to run in one. */
export interface ContextStore {
  /** The context to parent new spans on. */
  active(): Context;
  /** Runs `fn` with `active` as the active context (core's `runInContext` hook calls it). */
  run<T>(active: Context, fn: () => T): T;
  /** Whether the context is the host's (its registered OpenTelemetry context manager). */
  readonly sharedWithHost: boolean;
  /** Releases our own storage (turning Node's async hooks back off); never the host's. */
  close(): void;
}

const PROBE_KEY = createContextKey("nextgen.otel.context-probe");

/**
 * Picks where the context of a traced operation lives, through public API only.
 *
 * When the host registered a working context manager (such as
 * `AsyncLocalStorageContextManager`), spans run in it via `context.with`, so a span we
 * start is the active span for everything the operation runs, including the host's own
 * instrumented code (an HTTP call a tool makes nests under `invoke_agent`). Otherwise (the
 * API's no-op manager keeps nothing) we use a storage of our own: then nesting holds
 * between our spans only.
 * @internal
 */
export function createContextStore(): ContextStore {
  if (hostKeepsContext()) {
    return {
      active: () => context.active(),
      run: (active, fn) => context.with(active, fn),
      sharedWithHost: true,
      close: () => {},
    };
  }
  const storage = new AsyncLocalStorage<Context>();
  return {
    active: () => storage.getStore() ?? context.active(),
    run: (active, fn) => storage.run(active, fn),
    sharedWithHost: false,
    close: () => storage.disable(),
  };
}

/** Whether `context.with` really makes a context active (false for the no-op manager). */
function hostKeepsContext(): boolean {
  try {
    const probe = ROOT_CONTEXT.setValue(PROBE_KEY, true);
    return context.with(probe, () => context.active() === probe);
  } catch {
    return false;
  }
}
