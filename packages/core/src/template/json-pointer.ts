/**
 * Formats an RFC 6901 JSON pointer from path segments (`["config", "model"]` →
 * `/config/model`; `~` and `/` in keys are escaped as `~0` and `~1`).
 */
export function formatPointer(path: readonly (string | number)[]): string {
  let pointer = "";
  for (const segment of path) pointer = childPointer(pointer, segment);
  return pointer;
}

/** Appends one segment to an RFC 6901 pointer. */
export function childPointer(pointer: string, segment: string | number): string {
  // Validation builds a pointer for every value it visits: two scans beat a regular expression.
  if (typeof segment === "number" || (!segment.includes("~") && !segment.includes("/"))) {
    return `${pointer}/${segment}`;
  }
  return `${pointer}/${segment.replaceAll("~", "~0").replaceAll("/", "~1")}`;
}
