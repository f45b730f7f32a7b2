import type { FastifyInstance } from "fastify";
import { traceOf } from "../http/request-trace.js";
import { reloadSchema } from "../http/schemas.js";
import type { ServiceContext } from "../http/service-context.js";

/** `POST /v1/admin/reload`. */
export function adminRoutes(app: FastifyInstance, context: ServiceContext): void {
  app.post("/v1/admin/reload", { schema: reloadSchema }, async (request) => {
    const principal = await context.auth.authorizeAny(request, "admin");
    return context.reload(principal.subject, traceOf(request).traceId);
  });
}
