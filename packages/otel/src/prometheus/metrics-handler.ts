import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";

/**
 * The part of `factory.health()` the handler relies on, typed structurally so this
 * package does not depend on core's exact report type: a status plus anything else,
 * serialised as JSON.
 *
 * @example
 * ```ts
 * const report: HealthReportLike = await factory.health();
 * ```
 */
export interface HealthReportLike {
  /** Overall status. `unhealthy` answers 503; the others answer 200. */
  readonly status: "healthy" | "degraded" | "unhealthy";
}

/**
 * Anything with a `health()` method, such as the agent factory.
 *
 * @example
 * ```ts
 * const health: HealthSource = { health: () => ({ status: "healthy" }) };
 * createServer(metricsHandler(registry, { health }));
 * ```
 */
export interface HealthSource {
  health(): HealthReportLike | Promise<HealthReportLike>;
}

/**
 * Options of {@link metricsHandler}.
 *
 * @example
 * ```ts
 * const options: MetricsHandlerOptions = { health: factory };
 * ```
 */
export interface MetricsHandlerOptions {
  /**
   * Serves `GET /health` from `health.health()`; without it `/health` answers 404.
   * @default undefined
   */
  health?: HealthSource;
}

/**
 * A `node:http` request listener.
 *
 * @example
 * ```ts
 * const listener: RequestListener = metricsHandler(registry);
 * createServer(listener).listen(9464);
 * ```
 */
export type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * A `node:http` request listener serving `GET /metrics` (the registry in the Prometheus
 * text format) and `GET /health` (the health report as JSON: 200 when healthy or
 * degraded, 503 when unhealthy or when the report fails). Anything else is 404 or 405.
 * It never throws: failures answer 500.
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * createServer(metricsHandler(registry, { health: factory })).listen(9464);
 * ```
 */
export function metricsHandler(registry: Registry, options: MetricsHandlerOptions = {}): RequestListener {
  return (request, response) => {
    void answer(registry, options, request, response).catch(() => {
      if (!response.headersSent) send(response, 500, "text/plain; charset=utf-8", "internal error\n");
      else response.destroy();
    });
  };
}

async function answer(
  registry: Registry,
  options: MetricsHandlerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = (request.url ?? "/").split("?", 1)[0];
  const known = path === "/metrics" || (path === "/health" && options.health !== undefined);
  if (!known) return send(response, 404, "text/plain; charset=utf-8", "not found\n");
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.setHeader("allow", "GET, HEAD");
    return send(response, 405, "text/plain; charset=utf-8", "method not allowed\n");
  }
  if (path === "/metrics") return send(response, 200, registry.contentType, await registry.metrics());
  let report: HealthReportLike;
  try {
    report = await (options.health as HealthSource).health();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return send(response, 503, "application/json", JSON.stringify({ status: "unhealthy", reasons: [reason] }));
  }
  send(response, report.status === "unhealthy" ? 503 : 200, "application/json", JSON.stringify(report));
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { "content-type": contentType, "cache-control": "no-store" });
  response.end(response.req.method === "HEAD" ? undefined : body);
}
