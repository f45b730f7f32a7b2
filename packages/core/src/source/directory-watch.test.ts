import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { until } from "@nextgen/test-support";
import { afterAll, describe, expect, it } from "vitest";
import { watchDirectory } from "./directory-watch.js";
import type { SourceChange } from "./template-source.js";

const root = await mkdtemp(join(tmpdir(), "nextgen-watch-"));
afterAll(() => rm(root, { recursive: true, force: true }));
let dirs = 0;

const template = (id: string, description: string) =>
  JSON.stringify({ schemaVersion: 1, id, version: "1.0.0", description });

/** Waits until `changes` has `count` entries, or fails after a generous deadline. */
describe.each(["auto", "poll"] as const)("watchDirectory (%s)", (mode) => {
  it("reports one debounced change per template, removals, and ignores other files", async () => {
    const dir = join(root, `case-${++dirs}`);
    await mkdir(join(dir, "security"), { recursive: true });
    await writeFile(join(dir, "security", "auditor.json"), template("security/auditor", "v1"));
    const changes: SourceChange[] = [];
    // Watching starts before watchDirectory returns: no settling delay, a write right away is seen.
    const stop = watchDirectory(dir, (change) => changes.push(change), { mode, debounceMs: 150, pollIntervalMs: 20 });
    for (let edit = 0; edit < 5; edit += 1) {
      await writeFile(join(dir, "security", "auditor.json"), template("security/auditor", `edit ${edit}`));
    }
    await writeFile(join(dir, "notes.txt"), "not a template");
    await writeFile(join(dir, "trust.json"), "{}");
    await until(() => changes.length >= 1, { what: "one change" });
    await new Promise((resolve) => setTimeout(resolve, 400));
    // Debounced: a burst of writes gives (far) fewer reports than writes, all for the template.
    expect(changes.length).toBeLessThan(5);
    for (const change of changes) {
      expect(change).toEqual({
        id: "security/auditor",
        type: "updated",
        location: join(dir, "security", "auditor.json"),
      });
    }
    const seen = changes.length;
    await rm(join(dir, "security", "auditor.json"));
    await until(() => changes.length >= seen + 1, { what: "the removal" });
    expect(changes.at(-1)).toMatchObject({ id: "security/auditor", type: "removed" });
    stop();
    const stoppedAt = changes.length;
    await writeFile(join(dir, "security", "auditor.json"), template("security/auditor", "after stop"));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(changes).toHaveLength(stoppedAt);
  });
});
