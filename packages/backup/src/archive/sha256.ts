import { createHash } from "node:crypto";

/** Hex SHA-256, as `sha256sum` prints it. */
export function sha256Hex(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
