import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";

/**
 * The OpenAPI 3.1 document, generated from the route schemas and served at
 * `/openapi.json`, and Swagger UI at `/docs`. Registered before the routes so that
 * `@fastify/swagger` sees each of them.
 */
export async function openApiPlugin(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "@nextgen agent service",
        version: "1.0.0",
        description:
          "Verified agents over HTTP: every template is signature-checked before an agent is created from it; every decision lands in a hash-chained audit log. Errors are RFC 9457 problem+json with an NG_ERR_* code.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
      tags: [
        { name: "templates", description: "Verified templates" },
        { name: "runs", description: "Create and run agents" },
        { name: "a2a", description: "The verified templates as A2A agents (signed cards, JSON-RPC)" },
        { name: "admin", description: "Operations" },
        { name: "health", description: "Health and metrics" },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}
