import { NextGenError } from "../errors/next-gen-error.js";

/**
 * Runs `operation` with an abort signal that fires after `timeoutMs`; rejects with
 * `NG_ERR_CACHE_TIMEOUT` then, even if the tier ignores the signal.
 * @internal
 */
export function callWithTimeout<T>(
  tierName: string,
  timeoutMs: number,
  operation: (signal: AbortSignal) => Promise<T>,
  outer?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(outer?.reason);
  outer?.addEventListener("abort", onOuterAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new NextGenError(
        "NG_ERR_CACHE_TIMEOUT",
        `cache tier "${tierName}" did not answer in ${timeoutMs} ms`,
      );
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    timer.unref();
  });
  let work: Promise<T>;
  try {
    work = operation(controller.signal);
  } catch (error) {
    work = Promise.reject(error);
  }
  return Promise.race([work, timeout]).finally(() => {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onOuterAbort);
  });
}
