import { tracingChannel } from "node:diagnostics_channel";
import { AI_SDK_TELEMETRY_TRACING_CHANNEL } from "ai";

/** The AI SDK's own telemetry channel (`ai:telemetry`): its integrations and tracers listen here. */
const sdkChannel = tracingChannel(AI_SDK_TELEMETRY_TRACING_CHANNEL);

/** What a run hands the SDK when nobody would receive its telemetry. */
const IDLE = Object.freeze({ isEnabled: false as const });

/**
 * The AI SDK's `telemetry` setting for the run about to start: `{ isEnabled: false }` when
 * nothing would receive the SDK's telemetry (no integration registered with
 * `registerTelemetry`, no subscriber on its `ai:telemetry` tracing channel), `undefined`
 * (the SDK's default) otherwise. Read at every run, so a listener added later is served.
 *
 * Without it the SDK copies, redacts and looks up its tracing channel for every step and
 * every tool call even when nothing listens: in bench/ai's 3-step loop on a mock model, a
 * fifth of the allocation and about two fifths of the CPU. With it, telemetry nobody
 * receives costs nothing. Our own telemetry (the `nextgen:genai.*` channels) is separate
 * and unaffected.
 *
 * @example
 * ```ts
 * await generateText({ model, prompt: "…", telemetry: sdkTelemetry() });
 * ```
 * @internal
 */
export function sdkTelemetry(): { readonly isEnabled: false } | undefined {
  const integrations = globalThis.AI_SDK_TELEMETRY_INTEGRATIONS;
  if ((integrations === undefined || integrations.length === 0) && !sdkChannel.hasSubscribers) return IDLE;
  return undefined;
}
