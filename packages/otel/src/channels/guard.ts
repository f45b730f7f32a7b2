/**
 * Runs a telemetry handler so that nothing it throws reaches core or the caller: telemetry
 * must never change the behaviour of the code it observes. The error is dropped on purpose
 * (reporting it through the host's diagnostics would need a global we do not own). One
 * argument, not rest parameters: this wraps every channel event, and `...args` would
 * allocate an array per event.
 * @internal
 */
export function guard<A>(handler: (argument: A) => void): (argument: A) => void {
  return (argument: A): void => {
    try {
      handler(argument);
    } catch {
      // Telemetry failures are swallowed: see the doc comment above.
    }
  };
}
