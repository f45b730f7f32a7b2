import diagnosticsChannel from "node:diagnostics_channel";
import { guard } from "./guard.js";

/** What a tracing-channel context holds once Node has recorded the outcome. */
export type Settled<C> = C & { error?: unknown; result?: unknown };

/** Handlers for one tracing channel, reduced to "started" and "finished". */
export interface TraceHandlers<C extends object> {
  /** Called on `start`, synchronously in the caller's context. */
  start?(context: C): void;
  /** Called exactly when the operation finished, successfully or not. */
  finish(context: Settled<C>): void;
}

/**
 * Subscribes to a tracing channel and calls `finish` once per operation, whether it was
 * traced with `traceSync`, `tracePromise` or a promise that threw synchronously: for a sync
 * outcome Node sets `result` or `error` before `end`; for an async one it publishes
 * `asyncEnd` later. Handlers are guarded. Returns the unsubscribe function.
 * @internal
 */
export function subscribeTrace<C extends object>(name: string, handlers: TraceHandlers<C>): () => void {
  const channel = diagnosticsChannel.tracingChannel<unknown, C>(name);
  const finish = guard((context: Settled<C>) => handlers.finish(context));
  const start = handlers.start;
  const subscribers: diagnosticsChannel.TracingChannelSubscribers<C> = {
    start: start === undefined ? noop : guard((context: C) => start(context)),
    end: (context: C) => {
      if ("result" in context || "error" in context) finish(context as Settled<C>);
    },
    asyncStart: noop,
    asyncEnd: (context: C) => finish(context as Settled<C>),
    error: noop,
  };
  channel.subscribe(subscribers);
  return () => {
    channel.unsubscribe(subscribers);
  };
}

/**
 * Subscribes a guarded handler to a plain channel. Returns the unsubscribe function.
 * @internal
 */
export function subscribePlain<M>(name: string, handler: (message: M) => void): () => void {
  const guarded = guard((message: unknown) => handler(message as M));
  diagnosticsChannel.subscribe(name, guarded);
  return () => {
    diagnosticsChannel.unsubscribe(name, guarded);
  };
}

function noop(): void {}
