// A pool worker file that returns the trace carrier it saw. It reads the slot directly
// (what `currentTraceCarrier()` from @nextgen/core/pool does), because test aliases do not
// reach worker threads.
export default function reportCarrier() {
  return globalThis[Symbol.for("nextgen.pool.traceCarrier")] ?? null;
}
