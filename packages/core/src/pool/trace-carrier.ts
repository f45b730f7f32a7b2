import type { TraceCarrier } from "../diagnostics/payloads.js";
import { TRACE_CARRIER_SLOT } from "./protocol.js";

/**
 * Inside a worker file: the W3C trace context (`traceparent`, `tracestate`) of the task
 * being run, as handed over by the caller's instrumentation, or `undefined` when the
 * task was not traced. Outside a pool worker it is always `undefined`.
 *
 * @example
 * ```ts
 * // analyzer.ts (a worker file)
 * import { currentTraceCarrier } from "@nextgen/core/pool";
 * export default async function analyze(task: { code: string }) {
 *   const carrier = currentTraceCarrier(); // propagation.extract(context.active(), carrier)
 *   return { lines: task.code.split("\n").length, traced: carrier !== undefined };
 * }
 * ```
 */
export function currentTraceCarrier(): TraceCarrier | undefined {
  return (globalThis as { [TRACE_CARRIER_SLOT]?: TraceCarrier | undefined })[TRACE_CARRIER_SLOT];
}
