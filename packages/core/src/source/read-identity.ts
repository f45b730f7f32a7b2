import { NextGenError } from "../errors/next-gen-error.js";

/** The `id` and `version` a template's bytes declare. */
export interface DeclaredIdentity {
  /** Declared id, if a string. */
  id: string | undefined;
  /** Declared version, if a string. */
  version: string | undefined;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads the `id` and `version` a template declares, to check them against where it was
 * found. This is not validation (the factory parses strictly later); it only needs JSON.
 */
export function readDeclaredIdentity(bytes: Uint8Array, location: string): DeclaredIdentity {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw new NextGenError(
      "NG_ERR_TEMPLATE_PARSE",
      `${location} is not valid UTF-8 JSON: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { id: undefined, version: undefined };
  const record = value as { id?: unknown; version?: unknown };
  return {
    id: typeof record.id === "string" ? record.id : undefined,
    version: typeof record.version === "string" ? record.version : undefined,
  };
}
