import { NextGenError } from "../errors/next-gen-error.js";
import { jsonSchemaIssues } from "./json-schema-subset.js";
import {
  isStandardSchema,
  type JsonSchema,
  type StandardSchemaV1,
  type ToolCallContext,
  type ToolDefinition,
} from "./tool-definition.js";

/** Most problems named in an `NG_ERR_TOOL_INPUT_INVALID` message. */
const SHOWN_PROBLEMS = 5;

/**
 * Checks `input` against a tool's input schema: the parsed value (a Standard Schema may
 * transform it), or the problems, each as `"<pointer> <message>"`.
 *
 * @example
 * ```ts
 * const result = await validateToolInput({ type: "object", required: ["path"] }, {});
 * if (!result.ok) console.log(result.problems); // ['/path missing required property "path"']
 * ```
 */
export async function validateToolInput(
  schema: JsonSchema | StandardSchemaV1,
  input: unknown,
): Promise<{ ok: true; value: unknown } | { ok: false; problems: string[] }> {
  if (isStandardSchema(schema)) {
    const result = await schema["~standard"].validate(input);
    if (result.issues === undefined) return { ok: true, value: result.value };
    return {
      ok: false,
      problems: result.issues.map((issue) => {
        const path = (issue.path ?? []).map((segment) =>
          typeof segment === "object" && segment !== null ? String(segment.key) : String(segment),
        );
        return `${path.length > 0 ? `/${path.join("/")} ` : ""}${issue.message}`;
      }),
    };
  }
  const issues = jsonSchemaIssues(schema, input);
  if (issues.length === 0) return { ok: true, value: input };
  return { ok: false, problems: issues.map((issue) => `${issue.pointer || "(input)"} ${issue.message}`) };
}

/**
 * A definition's `execute` behind input validation: invalid input rejects with
 * `NG_ERR_TOOL_INPUT_INVALID` (the problems listed) and never reaches `execute`.
 * @internal
 */
export function validatedExecute(
  name: string,
  definition: ToolDefinition,
): (input: unknown, context: ToolCallContext) => Promise<unknown> {
  const schema = definition.inputSchema as JsonSchema | StandardSchemaV1;
  const refuse = (problems: readonly string[]): NextGenError => {
    const shown = problems.slice(0, SHOWN_PROBLEMS).join("; ");
    const more = problems.length > SHOWN_PROBLEMS ? ` (and ${problems.length - SHOWN_PROBLEMS} more)` : "";
    return new NextGenError("NG_ERR_TOOL_INPUT_INVALID", `Invalid input for tool "${name}": ${shown}${more}.`);
  };
  if (!isStandardSchema(schema)) {
    // A JSON Schema validates synchronously: no extra promise per call on the tool loop's hot path.
    return async (input, context) => {
      const issues = jsonSchemaIssues(schema, input);
      if (issues.length > 0) throw refuse(issues.map((issue) => `${issue.pointer || "(input)"} ${issue.message}`));
      return definition.execute(input, context);
    };
  }
  return async (input, context) => {
    const result = await validateToolInput(schema, input);
    if (!result.ok) throw refuse(result.problems);
    return definition.execute(result.value, context);
  };
}
