import { AsyncLocalStorage } from "node:async_hooks";
import type { AddressInfo } from "node:net";
import { type A2AAgentFactory, type A2AHandler, a2aHandler, agentCard, signAgentCard } from "@nextgen/a2a";
import { errorCode, NextGenError } from "@nextgen/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { traceOf } from "../http/request-trace.js";
import type { ServiceContext } from "../http/service-context.js";
import type { AgentRuntime } from "../runtime/agent-runtime.js";
import { a2aCardSchema, a2aMessageSchema, a2aTrustSchema } from "./a2a-schemas.js";
import type { CardSigningKey } from "./card-signing-key.js";

interface TemplateParams {
  Params: { namespace: string; name: string };
}

/** Who is calling, for the audit records of the agent the A2A handler creates. */
const callers = new AsyncLocalStorage<{ actor: string; traceId: string }>();

/**
 * The factory the A2A handler creates its agents through: the service's current runtime
 * (held for the run, so a reload never closes it underneath), the caller as the audit actor,
 * and an `agent.run` audit record for each outcome, as `POST …/runs` records them.
 */
function auditedFactory(context: ServiceContext): A2AAgentFactory {
  return {
    async create(id) {
      const caller = callers.getStore() ?? { actor: "a2a", traceId: undefined };
      const runtime = context.runtime();
      const release = runtime.acquire();
      try {
        const agent = await runtime.factory.create(id, { audit: caller });
        const { version, digest } = agent.template;
        const record = (decision: string, reason?: string): void =>
          context.audit.record({
            actor: caller.actor,
            action: "agent.run",
            resource: `a2a ${id}@${version}`,
            decision,
            digest,
            ...(reason === undefined ? {} : { reason }),
            ...(caller.traceId === undefined ? {} : { traceId: caller.traceId }),
          });
        return {
          async run(task: never, options?: { signal?: AbortSignal }) {
            try {
              const result = await agent.run(task, options);
              record("succeeded");
              return result;
            } catch (error) {
              const code = errorCode(error);
              record(options?.signal?.aborted ? "cancelled" : "failed", code);
              throw error;
            }
          },
          dispose: () => agent.dispose().finally(release),
        };
      } catch (error) {
        release();
        throw error;
      }
    },
  };
}

/** The service's base URL as written in the cards: `PUBLIC_URL`, else where it listens. */
function baseUrlOf(app: FastifyInstance, configured: string | undefined): string {
  if (configured !== undefined) return configured;
  const address = app.server.address() as AddressInfo | null;
  if (address === null) throw new NextGenError("NG_ERR_INTERNAL_ERROR", "the service is not listening yet");
  const wildcard = address.address === "0.0.0.0" || address.address === "::";
  const host = wildcard ? "127.0.0.1" : address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * Mounts `@nextgen/a2a`'s request handler for every verified template, behind the service's
 * bearer auth and RBAC: `GET /v1/a2a/{namespace}/{name}/.well-known/agent-card.json` (its
 * signed card, `read`), JSON-RPC `POST /v1/a2a/{namespace}/{name}` (`run`), and
 * `GET /v1/a2a/trust.json` (the public key that verifies the cards). One handler per
 * template and runtime, built on first use: a reload serves new cards.
 *
 * @example
 * ```ts
 * a2aRoutes(app, context, await cardSigningKey(config.a2aCardKeyFile, config.a2aCardKeyId));
 * ```
 */
export function a2aRoutes(app: FastifyInstance, context: ServiceContext, signing: CardSigningKey): void {
  const handlers = new WeakMap<AgentRuntime, Map<string, Promise<A2AHandler>>>();
  const factory = auditedFactory(context);

  const build = async (runtime: AgentRuntime, id: string): Promise<A2AHandler> => {
    const agent = await runtime.factory.create(id, { audit: { actor: "system" } });
    const template = agent.template;
    await agent.dispose();
    const url = `${baseUrlOf(app, context.config.publicUrl)}/v1/a2a/${id}`;
    const card = await signAgentCard(agentCard(template, { url }), signing.signer);
    return a2aHandler({
      factory,
      templateId: id,
      card,
      rpcPath: `/v1/a2a/${id}`,
      cardPath: `/v1/a2a/${id}/.well-known/agent-card.json`,
      maxBodyBytes: context.config.bodyLimitBytes,
    });
  };
  const handlerFor = (id: string): Promise<A2AHandler> => {
    const runtime = context.runtime();
    if (!runtime.catalog.has(id)) throw new NextGenError("NG_ERR_TEMPLATE_NOT_FOUND", `No verified template ${id}.`);
    let byId = handlers.get(runtime);
    if (byId === undefined) {
      byId = new Map();
      handlers.set(runtime, byId);
    }
    let handler = byId.get(id);
    if (handler === undefined) {
      handler = build(runtime, id);
      byId.set(id, handler);
      // A failed build is retried by the next request, not remembered.
      handler.catch(() => byId.delete(id));
    }
    return handler;
  };
  const idOf = (request: FastifyRequest<TemplateParams>): string =>
    `${request.params.namespace}/${request.params.name}`;

  app.register(async (scope) => {
    // The A2A handler reads (and bounds) the JSON-RPC body itself: Fastify must not consume it.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_request, _payload, done) => done(null));

    scope.get("/v1/a2a/trust.json", { schema: a2aTrustSchema }, async (request) => {
      await context.auth.authorizeAny(request, "read");
      return signing.trust;
    });
    scope.get<TemplateParams>(
      "/v1/a2a/:namespace/:name/.well-known/agent-card.json",
      { schema: a2aCardSchema },
      async (request, reply) => {
        const id = idOf(request);
        await context.auth.authorize(request, "read", id);
        // As signed, byte for byte (no response serializer between the card and the client).
        reply.type("application/json");
        return JSON.stringify((await handlerFor(id)).card);
      },
    );
    scope.post<TemplateParams>("/v1/a2a/:namespace/:name", { schema: a2aMessageSchema }, async (request, reply) => {
      const id = idOf(request);
      const principal = await context.auth.authorize(request, "run", id);
      const handler = await handlerFor(id);
      reply.hijack();
      reply.raw.setHeader("x-request-id", request.id);
      if (context.draining()) reply.raw.setHeader("connection", "close");
      const caller = { actor: principal.subject, traceId: traceOf(request).traceId };
      await callers.run(caller, () => handler(request.raw, reply.raw));
    });
  });
}
