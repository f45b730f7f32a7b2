import { join } from "node:path";
import { redisStateStore } from "@nextgen/cache-redis";
import {
  errorCode,
  fileAuditLog,
  fileStateStore,
  loadTrustPolicy,
  type StateStore,
  type TrustPolicy,
  trustPolicy,
} from "@nextgen/core";
import { instrument } from "@nextgen/otel";
import { registerGenAiPrometheusMetrics, registerPrometheusMetrics } from "@nextgen/otel/prometheus";
import Fastify, { type FastifyInstance, LogController } from "fastify";
import { Histogram, Registry } from "prom-client";
import { a2aRoutes } from "./a2a/a2a-routes.js";
import { cardSigningKey } from "./a2a/card-signing-key.js";
import { agentKinds } from "./agents/agent-kinds.js";
import { bearerAuthenticator, loadJwksFile } from "./auth/bearer-auth.js";
import { DEVELOPMENT_RBAC, loadRbacFile, rbacPolicy } from "./auth/rbac.js";
import { ConfigError } from "./config/config-error.js";
import type { ServiceConfig } from "./config/service-config.js";
import {
  type DevelopmentIssuer,
  developmentIssuer,
  signSampleTemplates,
  stateDirectory,
} from "./dev/embedded-defaults.js";
import { createAuthorizer } from "./http/authorize.js";
import { installErrorHandling } from "./http/error-handling.js";
import { openApiPlugin } from "./http/openapi.js";
import { traceOfRaw } from "./http/request-trace.js";
import type { ComponentStatus, ServiceContext } from "./http/service-context.js";
import { requestIdOf } from "./http/trace-context.js";
import { adminRoutes } from "./routes/admin-routes.js";
import { healthRoutes } from "./routes/health-routes.js";
import { runRoutes } from "./routes/run-routes.js";
import { templateRoutes } from "./routes/template-routes.js";
import { redisRunStore } from "./runs/redis-run-store.js";
import { RunRegistry } from "./runs/run-registry.js";
import { type AgentRuntime, buildRuntime } from "./runtime/agent-runtime.js";
import { AuditRecorder } from "./runtime/audit-recorder.js";
import { openTelemetryRegistered } from "./runtime/opentelemetry-sdk.js";

/** A running (or ready to run) agent service. */
export interface AgentService {
  readonly app: FastifyInstance;
  /** The development token issuer (embedded mode only: no `AUTH_JWKS_FILE`). */
  readonly issuer: DevelopmentIssuer | undefined;
  /** Where the audit log is. */
  readonly auditLog: string;
  /** The model driving the agents. */
  readonly model: string;
  /** What could not be verified or loaded at start. */
  readonly failed: readonly { id: string; code: string; message: string }[];
  /** Starts listening; resolves with the URL. */
  listen(): Promise<string>;
  /** Resolves once every audit record appended so far is written. */
  flushAudit(): Promise<void>;
  /** Graceful shutdown: stop accepting, finish every run in flight, flush the audit log. Idempotent. */
  shutdown(): Promise<void>;
}

/** Options of {@link createAgentService} beyond the environment's configuration. */
export interface AgentServiceOptions {
  /** Where pino writes its JSON lines. @default stdout */
  logStream?: { write(line: string): unknown };
}

let generation = 0;

/**
 * Builds the service from its configuration: trust and templates (or the embedded,
 * freshly signed samples), the factory with memory + file tiers (+ Redis), bearer auth
 * and RBAC, the audit log, metrics, OpenAPI and the routes. Throws a `ConfigError` naming
 * the variable when a configured file is unusable.
 *
 * @example
 * ```ts
 * const service = await createAgentService(loadConfig(process.env));
 * console.log(await service.listen());
 * process.once("SIGTERM", () => service.shutdown());
 * ```
 */
export async function createAgentService(
  config: ServiceConfig,
  options: AgentServiceOptions = {},
): Promise<AgentService> {
  const stateDir = await stateDirectory(config.stateDir);
  // With REDIS_URL the rollback marks are shared by every replica (a local file would let one
  // replica accept what another already superseded).
  const stateStore: StateStore =
    config.redisUrl !== undefined
      ? redisStateStore({ url: config.redisUrl, keyPrefix: config.redisPrefix })
      : fileStateStore(join(stateDir, "trust-state.json"));
  let templatesDir: string;
  let trustOf: AgentRuntimeTrust;
  if (config.templatesDir !== undefined && config.trustFile !== undefined) {
    const trustFile = config.trustFile;
    templatesDir = config.templatesDir;
    trustOf = async (store) => {
      try {
        return await loadTrustPolicy(trustFile, { stateStore: store });
      } catch (error) {
        throw new ConfigError("TRUST_FILE", (error as Error).message, { cause: error });
      }
    };
  } else {
    const embedded = await signSampleTemplates(stateDir);
    templatesDir = embedded.templatesDir;
    trustOf = async (store) => trustPolicy(embedded.trust, { stateStore: store });
  }

  let issuer: DevelopmentIssuer | undefined;
  let authenticate: ReturnType<typeof bearerAuthenticator>;
  if (config.authJwksFile !== undefined) {
    authenticate = bearerAuthenticator({
      jwks: await loadJwksFile(config.authJwksFile),
      issuer: config.authIssuer,
      audience: config.authAudience,
    });
  } else {
    issuer = developmentIssuer();
    authenticate = bearerAuthenticator({ jwks: issuer.jwks });
  }
  const rbac = config.rbacFile !== undefined ? await loadRbacFile(config.rbacFile) : rbacPolicy(DEVELOPMENT_RBAC);
  const cardKey = await cardSigningKey(config.a2aCardKeyFile, config.a2aCardKeyId);

  const auditLog = config.auditLog ?? join(stateDir, "audit.log");
  const app = Fastify({
    logger: {
      level: config.logLevel,
      base: { service: "agent-service" },
      ...(options.logStream === undefined ? {} : { stream: options.logStream }),
    },
    bodyLimit: config.bodyLimitBytes,
    // One line per request instead of two (written in onResponse, with the route and status).
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: false,
    requestIdHeader: false,
    genReqId: (raw) =>
      requestIdOf(raw.headers["x-request-id"]) ??
      `req-${(++generation).toString(36)}-${traceOfRaw(raw).traceId.slice(0, 8)}`,
    childLoggerFactory: (logger, bindings, options, raw) =>
      logger.child({ ...bindings, traceId: traceOfRaw(raw as Parameters<typeof traceOfRaw>[0]).traceId }, options),
    // Unknown body keys are refused (not silently dropped); query strings are coerced (`?async=true`).
    ajv: { customOptions: { removeAdditional: false, coerceTypes: "array", allErrors: true } },
  });
  const audit = new AuditRecorder(fileAuditLog({ path: auditLog }), (error) =>
    app.log.error({ err: error }, "the audit log cannot be written: the service reports not ready"),
  );
  const agents = agentKinds(config);
  const parts = {
    templatesDir,
    trust: trustOf,
    stateStore,
    cacheDir: config.cacheDir ?? join(stateDir, "cache"),
    redisUrl: config.redisUrl,
    redisPrefix: config.redisPrefix,
    agents,
    audit,
  };
  let runtime: AgentRuntime;
  try {
    runtime = await buildRuntime(parts);
  } catch (error) {
    await audit.sink.close();
    throw error;
  }
  for (const failure of runtime.failed) app.log.warn({ template: failure.id, code: failure.code }, failure.message);
  const initialFailed = runtime.failed;

  const metrics = new Registry();
  const sdkMetrics = registerPrometheusMetrics({ registry: metrics });
  // Tokens by template and model, tool calls by outcome, refused tool calls by reason.
  const genAiMetrics = registerGenAiPrometheusMetrics({ registry: metrics });
  // Spans and OpenTelemetry metrics only when an SDK would receive them (see openTelemetryRegistered).
  const tracing = openTelemetryRegistered() ? instrument() : undefined;
  const httpDuration = new Histogram({
    name: "nextgen_http_request_duration_seconds",
    help: "HTTP request duration of the agent service",
    labelNames: ["method", "route", "status"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [metrics],
  });

  const runs = new RunRegistry();
  // Async runs in Redis (any replica answers GET /v1/runs/{id}; a DELETE reaches the replica running it).
  const sharedRuns =
    config.redisUrl === undefined
      ? undefined
      : redisRunStore({
          url: config.redisUrl,
          prefix: config.redisPrefix,
          onCancel: (runId, reason) => runs.cancel(runId, reason),
        });
  if (sharedRuns !== undefined) {
    // Bounded: a Redis that is down at start only makes async runs answer 503 until it is back.
    const subscribed = sharedRuns.ready().then(
      () => true,
      (error: unknown) => {
        app.log.warn({ err: error }, "async runs: Redis is not reachable yet");
        return false;
      },
    );
    await Promise.race([subscribed, new Promise((settle) => setTimeout(settle, 5_000).unref())]);
  }
  let draining = false;
  const context: ServiceContext = {
    config,
    auth: createAuthorizer(authenticate, rbac, audit),
    audit,
    runs,
    ...(sharedRuns === undefined ? {} : { sharedRuns }),
    metrics,
    runtime: () => runtime,
    async reload(actor, traceId) {
      try {
        const next = await buildRuntime(parts);
        const previous = runtime;
        runtime = next;
        previous
          .retire()
          .catch((error: unknown) => app.log.error({ err: error }, "closing the previous factory failed"));
        audit.record({
          actor,
          action: "service.reload",
          resource: templatesDir,
          decision: "applied",
          reason: `${next.catalog.size} templates, ${next.failed.length} failed`,
          traceId,
        });
        return { loaded: [...next.catalog.keys()], failed: [...next.failed] };
      } catch (error) {
        const code = errorCode(error);
        audit.record({
          actor,
          action: "service.reload",
          resource: templatesDir,
          decision: "refused",
          reason: code,
          traceId,
        });
        throw error;
      }
    },
    draining: () => draining,
    async components() {
      const report = await runtime.factory.health();
      const components: ComponentStatus[] = report.components.map(({ name, status, reason }) => ({
        name,
        status,
        ...(reason === undefined ? {} : { reason }),
      }));
      components.push(trustHealth(runtime), await stateHealth(stateStore, config.redisUrl !== undefined));
      const failure = audit.failure;
      components.push(
        failure === undefined
          ? { name: "audit", status: "healthy" }
          : {
              name: "audit",
              status: "unhealthy",
              reason: failure instanceof Error ? failure.message : String(failure),
            },
      );
      if (draining) components.push({ name: "service", status: "unhealthy", reason: "draining (SIGTERM)" });
      return components;
    },
  };

  // JSON bodies only: anything else is 415.
  app.removeContentTypeParser("text/plain");
  installErrorHandling(app, context);
  let inFlight = 0;
  // The hooks take Fastify's `done` callback rather than being async: an async hook costs
  // every request a promise and a microtask round trip in Fastify's hook runner.
  app.addHook("onRequest", (request, reply, done) => {
    inFlight++;
    reply.raw.once("close", () => inFlight--);
    reply.header("x-request-id", request.id);
    // Authenticate before the body is read: an anonymous client gets its 401 without the
    // service parsing (or validating) what it sent.
    if (!request.url.startsWith("/v1/")) return done();
    context.auth.authenticate(request).then(
      () => done(),
      (error: unknown) => done(error as Error),
    );
  });
  // While draining, each response closes its connection: keep-alive sockets would otherwise
  // hold the server open until their idle timeout.
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (draining) reply.header("connection", "close");
    done(null, payload);
  });
  // One histogram child per method, route and status (bounded: the routes are ours), so a
  // response costs no label object and no closure.
  const durations = new Map<string, { observe(seconds: number): void }>();
  const durationOf = (method: string, route: string, status: number) => {
    const key = `${method} ${status} ${route}`;
    let child = durations.get(key);
    if (child === undefined) {
      child = httpDuration.labels({ method, route, status: String(status) });
      if (durations.size < 1024) durations.set(key, child);
    }
    return child;
  };
  app.addHook("onResponse", (request, reply, done) => {
    const route = request.routeOptions.url ?? "unmatched";
    durationOf(request.method, route, reply.statusCode).observe(reply.elapsedTime / 1000);
    request.log.info(
      { method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 },
      "request",
    );
    done();
  });
  await openApiPlugin(app);
  templateRoutes(app, context);
  runRoutes(app, context);
  adminRoutes(app, context);
  a2aRoutes(app, context, cardKey);
  healthRoutes(app, context);

  let shuttingDown: Promise<void> | undefined;
  return {
    app,
    issuer,
    auditLog,
    model: agents.model,
    failed: initialFailed,
    flushAudit: () => audit.flush(),
    async listen() {
      return app.listen({ port: config.port, host: config.host });
    },
    shutdown() {
      shuttingDown ??= (async () => {
        draining = true;
        app.log.info({ running: runs.running }, "SIGTERM: draining");
        // Stops accepting connections and waits for the requests in flight (synchronous and
        // streamed runs). Node closes the connections idle at that moment; the sweep closes those
        // that become idle later (a client that keeps its socket after an abort, a keep-alive
        // socket between requests) and, once no request and no run is in flight, any left.
        const sweep = setInterval(() => {
          app.server.closeIdleConnections();
          if (inFlight === 0 && runs.running === 0) app.server.closeAllConnections();
        }, 100);
        await app.close().finally(() => clearInterval(sweep));
        // Background (?async=true) runs finish too.
        await runs.idle();
        // After the last run's final record is stored.
        await sharedRuns?.close();
        await runtime.retire();
        await stateStore.close?.();
        sdkMetrics.close();
        genAiMetrics.close();
        tracing?.close();
        await audit.sink.close();
        app.log.info("drained");
      })();
      return shuttingDown;
    },
  };
}

type AgentRuntimeTrust = Parameters<typeof buildRuntime>[0]["trust"];

const WEEK_MS = 7 * 24 * 3600_000;

/** Whether the verifier is core's trust policy (which knows its keys' expiry), not a host's own. */
function isTrustPolicy(verifier: AgentRuntime["trust"]): verifier is TrustPolicy {
  return "earliestKeyExpiry" in verifier;
}

/** Trust is unusable when no template verifies; a signing key expiring within a week is a warning. */
function trustHealth(runtime: AgentRuntime): ComponentStatus {
  if (runtime.catalog.size === 0) {
    return { name: "trust", status: "unhealthy", reason: "no template verifies against the trust policy" };
  }
  const expiry = isTrustPolicy(runtime.trust) ? runtime.trust.earliestKeyExpiry : undefined;
  if (expiry !== undefined && expiry.getTime() - Date.now() < WEEK_MS) {
    return { name: "trust", status: "degraded", reason: `a trusted key expires at ${expiry.toISOString()}` };
  }
  return { name: "trust", status: "healthy" };
}

/** The rollback state must be readable, or every first load of a template would fail. */
async function stateHealth(stateStore: StateStore, shared: boolean): Promise<ComponentStatus> {
  try {
    await Promise.race([
      stateStore.get("healthz/probe"),
      new Promise((_, reject) => setTimeout(() => reject(new Error("no answer within 1 s")), 1_000).unref()),
    ]);
    return { name: "state", status: "healthy" };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // Shared marks in Redis: every replica loses them at once, and each still serves the
    // templates it verified (new versions are refused, fail-closed). Taking all replicas out
    // of rotation would turn that into a full outage: degraded, not unhealthy.
    return { name: "state", status: shared ? "degraded" : "unhealthy", reason };
  }
}
