// Test support: every response a test receives is checked against the served OpenAPI document.
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
type OpenApiDocument = { openapi: string; paths: Record<string, Record<string, Operation>> };

/** Checks responses against an OpenAPI 3.1 document. */
export interface OpenApiChecker {
  readonly document: OpenApiDocument;
  /** Throws when `response` (already read into `text`) is not what the document says `method url` answers. */
  check(method: string, url: string, status: number, contentType: string | null, text: string): void;
  /** `METHOD /path` of every operation. */
  operations(): string[];
}

/** Loads and validates the document (OpenAPI 3.1 schema), then compiles each response schema on demand. */
export async function openApiChecker(documentUrl: string): Promise<OpenApiChecker> {
  const document = (await (await fetch(documentUrl)).json()) as OpenApiDocument;
  const validation = await new Validator().validate(document as never);
  if (!validation.valid) throw new Error(`the OpenAPI document is invalid: ${JSON.stringify(validation.errors)}`);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
  const routes = Object.keys(document.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
  }));
  const compiled = new Map<unknown, ReturnType<Ajv2020["compile"]>>();
  return {
    document,
    operations: () =>
      Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    check(method, url, status, contentType, text) {
      const path = new URL(url).pathname;
      const route = routes.find((candidate) => candidate.pattern.test(path));
      if (!route) throw new Error(`${method} ${path}: no path in the OpenAPI document matches`);
      const operation = document.paths[route.template]?.[method.toLowerCase()];
      if (!operation) throw new Error(`${method} ${route.template}: not in the OpenAPI document`);
      const response = operation.responses[String(status)] ?? operation.responses.default;
      if (!response) throw new Error(`${method} ${route.template}: status ${status} is not documented`);
      const mediaType = (contentType ?? "").split(";")[0]!.trim();
      const content = response.content?.[mediaType];
      if (!content)
        throw new Error(`${method} ${route.template} ${status}: content type ${mediaType} is not documented`);
      if (!mediaType.endsWith("json") || content.schema === undefined) return;
      let validate = compiled.get(content.schema);
      if (!validate) {
        validate = ajv.compile(content.schema as object);
        compiled.set(content.schema, validate);
      }
      if (!validate(JSON.parse(text))) {
        throw new Error(
          `${method} ${route.template} ${status}: body does not match the schema: ${ajv.errorsText(validate.errors)}\n${text}`,
        );
      }
    },
  };
}
