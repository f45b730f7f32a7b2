import { createHash } from "node:crypto";

// SHA-256 of the 64 KiB payload, as hex: a small CPU-bound task.
export default function sha256(bytes) {
  return createHash("sha256").update(bytes).digest("hex");
}
