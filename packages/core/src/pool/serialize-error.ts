import type { SerializedError } from "./protocol.js";

/** Turns whatever a task threw into a cloneable record that keeps `code` and `cause`. */
export function serializeError(thrown: unknown, depth = 0): SerializedError {
  if (!(thrown instanceof Error)) {
    return { name: "Error", message: typeof thrown === "string" ? thrown : String(thrown) };
  }
  const serialized: SerializedError = { name: thrown.name, message: thrown.message, stack: thrown.stack };
  const record = thrown as unknown as Record<string, unknown>;
  if (record.code !== undefined) serialized.code = record.code;
  for (const key of Object.keys(thrown)) {
    if (key === "code" || key === "cause" || key === "name" || key === "message" || key === "stack") continue;
    const value = record[key];
    if (value === null || ["string", "number", "boolean"].includes(typeof value)) {
      serialized.properties ??= {};
      serialized.properties[key] = value;
    }
  }
  if (thrown.cause !== undefined && depth < 4) serialized.cause = serializeError(thrown.cause, depth + 1);
  return serialized;
}

/** Rebuilds an `Error` on the main thread with the worker's name, message, stack and code. */
export function deserializeError(serialized: SerializedError): Error {
  const error = new Error(
    serialized.message,
    serialized.cause === undefined ? undefined : { cause: deserializeError(serialized.cause) },
  );
  Object.defineProperty(error, "name", { value: serialized.name, writable: true, configurable: true });
  if (serialized.stack !== undefined) error.stack = serialized.stack;
  const record = error as unknown as Record<string, unknown>;
  if (serialized.code !== undefined) record.code = serialized.code;
  if (serialized.properties) Object.assign(error, serialized.properties);
  return error;
}
