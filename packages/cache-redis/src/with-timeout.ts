import { NextGenError } from "@nextgen/core";

/**
 * `work`, or a rejection with `NG_ERR_CACHE_TIMEOUT` after `timeoutMs` (the timer does
 * not keep the process alive).
 * @internal
 */
export function withTimeout<T>(what: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new NextGenError("NG_ERR_CACHE_TIMEOUT", `${what} did not answer in ${timeoutMs} ms`)),
      timeoutMs,
    );
    timer.unref();
  });
  let running: Promise<T>;
  try {
    running = work();
  } catch (error) {
    running = Promise.reject(error);
  }
  return Promise.race([running, timeout]).finally(() => clearTimeout(timer));
}
