import { AsyncLocalStorage } from "node:async_hooks";
import { type Context, context } from "@opentelemetry/api";

/** The storage a tracing channel's `start` event binds, and how to read the active context. */
export interface ContextStore {
  /** Bound with `tracingChannel.start.bindStore`; holds an OpenTelemetry `Context`. */
  readonly storage: AsyncLocalStorage<Context>;
  /** The context to parent new spans on. */
  active(): Context;
  /** Whether `storage` is the host's OpenTelemetry context manager's own storage. */
  readonly sharedWithHost: boolean;
  /** Releases our own storage (turning Node's async hooks back off); never the host's. */
  close(): void;
}

/**
 * Picks the storage whose value becomes the active context inside a traced operation.
 *
 * When the host registered OpenTelemetry's `AsyncLocalStorageContextManager`, we bind its
 * storage, so a span we start is the active span for everything the operation runs,
 * including the host's own instrumented code (an HTTP call a tool makes nests under
 * `invoke_agent`). The storage is not public API yet (opentelemetry-js#6088; Sentry and
 * Braintrust read it the same way), so we read it defensively and otherwise fall back to a
 * storage of our own: then nesting holds between our spans only.
 * @internal
 */
export function createContextStore(): ContextStore {
  const hostStorage = readHostStorage();
  if (hostStorage !== undefined) {
    return { storage: hostStorage, active: () => context.active(), sharedWithHost: true, close: () => {} };
  }
  const storage = new AsyncLocalStorage<Context>();
  return {
    storage,
    active: () => storage.getStore() ?? context.active(),
    sharedWithHost: false,
    close: () => storage.disable(),
  };
}

function readHostStorage(): AsyncLocalStorage<Context> | undefined {
  try {
    const api = context as unknown as { _getContextManager?: () => unknown };
    const manager = api._getContextManager?.() as { _asyncLocalStorage?: unknown } | undefined;
    const storage = manager?._asyncLocalStorage;
    return storage instanceof AsyncLocalStorage ? (storage as AsyncLocalStorage<Context>) : undefined;
  } catch {
    return undefined;
  }
}
