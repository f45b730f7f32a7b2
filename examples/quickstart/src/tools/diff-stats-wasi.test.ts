import { afterAll, describe, expect, it } from "vitest";
import type { ReviewTask } from "../review-task.js";
import { sampleTask } from "../sample-task.js";
import { diffStats } from "./diff-stats.js";
import { wasiDiffStats } from "./diff-stats-wasi.js";

const tool = await wasiDiffStats();
afterAll(() => tool.close());
const context = { signal: undefined, toolName: "diff-stats", agent: undefined };

describe("diff-stats as a WASI module", () => {
  it("finds what the JavaScript tool finds, escapes and large changes included", async () => {
    const diffs = [
      sampleTask.diff,
      '--- a/x.js\n+++ b/x.js\n+export const x = "1\\\\n\\u00e9";\n-old\n--- b\n',
      "+added\n".repeat(401),
      "",
    ];
    for (const diff of diffs) {
      const task: ReviewTask = { ...sampleTask, diff };
      expect(await tool.execute(task, context)).toEqual(diffStats(task));
    }
  });

  it("is pinned by the digest of its bytes and fails with its exit code on input without a diff", async () => {
    expect(tool.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    await expect(tool.execute({ title: "no diff" }, context)).rejects.toMatchObject({
      code: "NG_ERR_WASI_EXIT",
      exitCode: 2,
    });
  });
});
