/**
 * Runs a telemetry handler so that nothing it throws reaches core or the caller: telemetry
 * must never change the behaviour of the code it observes. The error is dropped on purpose
 * (reporting it through the host's diagnostics would need a global we do not own).
 * @internal
 */
export function guard<A extends unknown[]>(handler: (...args: A) => void): (...args: A) => void {
  return (...args: A): void => {
    try {
      handler(...args);
    } catch {
      // Telemetry failures are swallowed: see the doc comment above.
    }
  };
}
