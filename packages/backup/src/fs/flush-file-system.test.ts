import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createWorkspace } from "../__fixtures__/workspace.js";
import { flushFileSystem } from "./flush-file-system.js";

describe("flushFileSystem", () => {
  it("flushes the file system of a directory, and never throws into a restore (missing path, no sync -f)", async () => {
    const workspace = await createWorkspace();
    try {
      await expect(flushFileSystem(workspace.source)).resolves.toBeUndefined();
      // `sync -f` fails on a missing path; the fallback `sync` still runs and nothing throws.
      await expect(flushFileSystem(join(workspace.root, "missing"))).resolves.toBeUndefined();
    } finally {
      await workspace.dispose();
    }
  });
});
