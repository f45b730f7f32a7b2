import { NextGenError } from "@nextgen/core";
import type { FastifyInstance } from "fastify";
import { getTemplateSchema, listTemplatesSchema } from "../http/schemas.js";
import type { ServiceContext } from "../http/service-context.js";

/** `GET /v1/templates` and `GET /v1/templates/{namespace}/{name}`. */
export function templateRoutes(app: FastifyInstance, context: ServiceContext): void {
  app.get("/v1/templates", { schema: listTemplatesSchema }, async (request) => {
    const principal = await context.auth.authorizeAny(request, "read");
    const { rbac } = context.auth;
    const templates = [...context.runtime().catalog.entries()]
      .filter(([id]) => rbac.allows(principal.roles, "read", id))
      .flatMap(([, versions]) => versions);
    return { templates };
  });

  app.get<{ Params: { namespace: string; name: string } }>(
    "/v1/templates/:namespace/:name",
    { schema: getTemplateSchema },
    async (request) => {
      const id = `${request.params.namespace}/${request.params.name}`;
      await context.auth.authorize(request, "read", id);
      const versions = context.runtime().catalog.get(id);
      if (!versions) throw new NextGenError("NG_ERR_TEMPLATE_NOT_FOUND", `No verified template ${id}.`);
      return { id, versions };
    },
  );
}
