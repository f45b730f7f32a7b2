import { NextGenError } from "../errors/next-gen-error.js";

/**
 * Settles with `promise`, or rejects with `NG_ERR_AGENT_ABORTED` as soon as `signal`
 * aborts (the underlying work goes on for other callers sharing it).
 * @internal
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void =>
      reject(new NextGenError("NG_ERR_AGENT_ABORTED", "create was aborted.", { cause: signal.reason }));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
