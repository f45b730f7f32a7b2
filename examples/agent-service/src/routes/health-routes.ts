import type { FastifyInstance } from "fastify";
import { liveSchema, metricsSchema, readySchema } from "../http/schemas.js";
import type { ServiceContext } from "../http/service-context.js";

/** `GET /healthz/live`, `GET /healthz/ready` and `GET /metrics` (no authentication: keep them on the internal network). */
export function healthRoutes(app: FastifyInstance, context: ServiceContext): void {
  app.get("/healthz/live", { schema: liveSchema }, async () => ({ status: "live", components: [] }));

  app.get("/healthz/ready", { schema: readySchema }, async (_request, reply) => {
    const components = await context.components();
    const ready = !context.draining() && components.every((component) => component.status !== "unhealthy");
    reply.code(ready ? 200 : 503);
    return { status: ready ? "ready" : "not-ready", components };
  });

  app.get("/metrics", { schema: metricsSchema }, async (_request, reply) => {
    reply.type(context.metrics.contentType);
    return context.metrics.metrics();
  });
}
