/** One request of the load: when it started (ms since the load began), how long it took, whether it failed. */
export interface Sample {
  atMs: number;
  latencyMs: number;
  ok: boolean;
  status: number;
}

/** Options of {@link runLoad}. */
export interface LoadOptions {
  url: string;
  token: string;
  /** Concurrent requests in flight. */
  concurrency: number;
  /** Stops starting requests after this long. */
  durationMs: number;
  /** Stops early when aborted. */
  signal?: AbortSignal;
}

const BODY = JSON.stringify({ input: "password = hunter2 in config.yaml" });

/**
 * A steady, bounded load on loopback: `concurrency` loops, each sending the next request
 * when the previous answered, until `durationMs` passes. A request fails when it does not
 * answer 2xx within 10 s (network errors included).
 */
export async function runLoad(options: LoadOptions): Promise<Sample[]> {
  const target = new URL("/v1/agents/security/auditor/runs", options.url);
  const samples: Sample[] = [];
  const start = performance.now();
  const end = start + options.durationMs;
  const loop = async (): Promise<void> => {
    while (performance.now() < end && !options.signal?.aborted) {
      const began = performance.now();
      let status = 0;
      try {
        const response = await fetch(target, {
          method: "POST",
          headers: { authorization: `Bearer ${options.token}`, "content-type": "application/json" },
          body: BODY,
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer();
        status = response.status;
      } catch {
        status = 0;
      }
      const finished = performance.now();
      samples.push({ atMs: began - start, latencyMs: finished - began, ok: status >= 200 && status < 300, status });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  return samples.sort((left, right) => left.atMs - right.atMs);
}

/** The `q` quantile (0–1) of `values`, in ms rounded to 0.1; 0 for none. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((left, right) => left - right);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! * 10) / 10;
}

/** Requests, failures and latency quantiles of one window of the load. */
export interface LoadSummary {
  requests: number;
  failed: number;
  /** HTTP statuses of the failures (0: no response). */
  failedStatuses: number[];
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/** Requests, failures and latency quantiles of the samples that started in [fromMs, toMs). */
export function summarize(samples: Sample[], fromMs = 0, toMs: number = Number.POSITIVE_INFINITY): LoadSummary {
  const window = samples.filter((sample) => sample.atMs >= fromMs && sample.atMs < toMs);
  const latencies = window.map((sample) => sample.latencyMs);
  const failures = window.filter((sample) => !sample.ok);
  return {
    requests: window.length,
    failed: failures.length,
    failedStatuses: [...new Set(failures.map((sample) => sample.status))],
    p50Ms: quantile(latencies, 0.5),
    p95Ms: quantile(latencies, 0.95),
    p99Ms: quantile(latencies, 0.99),
  };
}
