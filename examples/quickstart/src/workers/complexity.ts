import { createHash } from "node:crypto";
import type { WorkerAgentPayload } from "@nextgen/core/pool";
import type { ReviewTask } from "../review-task.js";

/** What the worker-backed analyzer returns for one file. */
export interface FileComplexity {
  path: string;
  lines: number;
  branches: number;
  /** SHA-256 of the content, stretched so the task is CPU work worth a thread. */
  fingerprint: string;
  model: string | undefined;
}

/**
 * Runs in a pool worker: measures one file's size and branching, and fingerprints it.
 * The default export is the task function (Piscina's convention).
 */
export default function complexity(payload: WorkerAgentPayload<{ file: ReviewTask["files"][number] }>): FileComplexity {
  const { file } = payload.task;
  let digest = Buffer.from(file.content);
  for (let round = 0; round < 2_000; round++) digest = createHash("sha256").update(digest).digest();
  return {
    path: file.path,
    lines: file.content.split("\n").length,
    branches: (file.content.match(/\b(if|for|while|case|catch)\b|\?|&&|\|\|/g) ?? []).length,
    fingerprint: digest.toString("hex").slice(0, 12),
    model: payload.agent.config.model,
  };
}
