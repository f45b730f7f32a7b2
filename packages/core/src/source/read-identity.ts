import { NextGenError } from "../errors/next-gen-error.js";
import { TemplateParseError } from "../errors/template-parse-error.js";
import { keepParse } from "../template/parsed-bytes.js";
import { parseStrictJsonWithDepth } from "../template/strict-json.js";
import type { JsonValue } from "../template/types.js";

/** The `id` and `version` a template's bytes declare. */
export interface DeclaredIdentity {
  /** Declared id, if a string. */
  id: string | undefined;
  /** Declared version, if a string. */
  version: string | undefined;
}

const decoder = new TextDecoder("utf-8", { fatal: true });
/** Deeper than any valid template; the factory's own parse applies the real limit. */
const MAX_IDENTITY_DEPTH = 64;

/**
 * Reads the `id` and `version` a template declares, to check them against where it was
 * found. It parses as strictly as the factory does later (a duplicate `id` or `version`
 * must not name one template here and another there); errors give `line:column`.
 */
export function readDeclaredIdentity(bytes: Uint8Array, location: string): DeclaredIdentity {
  let value: JsonValue;
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch (error) {
    throw new NextGenError("NG_ERR_TEMPLATE_PARSE", `${location} is not valid UTF-8`, { cause: error });
  }
  let depth: number;
  try {
    ({ value, depth } = parseStrictJsonWithDepth(text, { maxDepth: MAX_IDENTITY_DEPTH, location }));
  } catch (error) {
    if (error instanceof TemplateParseError) throw error;
    throw new NextGenError(
      "NG_ERR_TEMPLATE_PARSE",
      `${location} is not valid UTF-8 JSON: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { id: undefined, version: undefined };
  // parseTemplate of these bytes (the factory's next step) reuses this parse instead of repeating it.
  keepParse(bytes, text, value, depth);
  const record = value as { id?: unknown; version?: unknown };
  return {
    id: typeof record.id === "string" ? record.id : undefined,
    version: typeof record.version === "string" ? record.version : undefined,
  };
}
