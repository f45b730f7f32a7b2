import type { SchemaRule } from "./schema-rules.js";
import { RESOLVED_REQUIRED, TEMPLATE_RULE } from "./schema-rules.js";

/** Where the shipped schema says it lives (unpkg serves the published file). */
export const TEMPLATE_SCHEMA_ID = "https://unpkg.com/@nextgen/core/schema/agent-template.v1.json";

/**
 * The JSON Schema (2020-12) document of the template format, generated from the same
 * rules as the validator. `schema/agent-template.v1.json` is this document; a test
 * fails when they differ (regenerate with `UPDATE_TEMPLATE_SCHEMA=1`).
 */
export function templateJsonSchema(): Record<string, unknown> {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: TEMPLATE_SCHEMA_ID,
    title: "@nextgen agent template, schemaVersion 1",
    ...ruleToSchema(TEMPLATE_RULE),
    description:
      `An agent template (schemaVersion 1). Once \`extends\` is resolved, ${RESOLVED_REQUIRED.join(", ")} are required ` +
      "too; in a template that extends another, null removes an inherited field. See docs/templates.md.",
    ...rootTemplateRule(),
  };
}

/**
 * The factory's rule for a root template (one without `extends`): nothing can supply `name`,
 * `role` or `description`, so the file must set each of them, and not to null. Expressed with
 * `if`/`then`, so editors and `nextgen validate` refuse what the factory would refuse.
 */
function rootTemplateRule(): Record<string, unknown> {
  return {
    if: { not: { required: ["extends"] } },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
    then: {
      description: `A template without extends must set ${RESOLVED_REQUIRED.join(", ")} itself (not to null).`,
      required: [...RESOLVED_REQUIRED],
      properties: Object.fromEntries(RESOLVED_REQUIRED.map((key) => [key, { not: { type: "null" } }])),
    },
  };
}

/** The JSON Schema of one rule. */
export function ruleToSchema(rule: SchemaRule): Record<string, unknown> {
  const nullable = rule.nullable === true;
  const typed = (name: string): string | string[] => (nullable ? [name, "null"] : name);
  switch (rule.type) {
    case "const":
      return { description: rule.description, const: rule.value };
    case "string":
      return dropUndefined({
        description: rule.description,
        type: typed("string"),
        enum: rule.enum === undefined ? undefined : nullable ? [...rule.enum, null] : [...rule.enum],
        minLength: rule.minLength,
        maxLength: rule.maxLength,
        pattern: rule.pattern,
        examples: rule.examples === undefined ? undefined : [...rule.examples],
      });
    case "number":
    case "integer":
      return dropUndefined({
        description: rule.description,
        type: typed(rule.type),
        minimum: rule.minimum,
        maximum: rule.maximum,
      });
    case "array":
      return dropUndefined({
        description: rule.description,
        type: typed("array"),
        items: ruleToSchema(rule.items),
        maxItems: rule.maxItems,
        uniqueItems: rule.uniqueItems,
      });
    case "object":
      return dropUndefined({
        description: rule.description,
        type: typed("object"),
        required: rule.required === undefined ? undefined : [...rule.required],
        properties: Object.fromEntries(
          Object.entries(rule.properties).map(([key, child]) => [key, ruleToSchema(child)]),
        ),
        additionalProperties: false,
      });
    case "union":
      return {
        description: rule.description,
        anyOf: [...rule.variants.map((variant) => ruleToSchema(variant)), ...(nullable ? [{ type: "null" }] : [])],
      };
    case "record":
      return {
        description: rule.description,
        type: typed("object"),
        maxProperties: rule.maxProperties,
        propertyNames: { pattern: rule.keyPattern },
        additionalProperties: ruleToSchema(rule.values),
      };
    case "jsonSchema":
      return { description: rule.description, type: nullable ? ["object", "boolean", "null"] : ["object", "boolean"] };
  }
}

function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
