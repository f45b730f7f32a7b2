import { NextGenError } from "../errors/next-gen-error.js";

/**
 * Settles with the shared `work`, or rejects with `NG_ERR_CACHE_ABORTED` as soon as this
 * caller's `signal` aborts. The work itself is shared by every caller of the key and
 * takes no caller's signal: one caller giving up must not fail the others.
 * @internal
 */
export function callerWait<T>(work: Promise<T>, key: string, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  const abortError = (): NextGenError =>
    new NextGenError("NG_ERR_CACHE_ABORTED", `get(${key}) was aborted; the shared load goes on`, {
      cause: signal.reason,
    });
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError());
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
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
