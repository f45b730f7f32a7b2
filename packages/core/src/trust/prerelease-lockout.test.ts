// #12.10: a pre-release left in the directory must not become "latest", and a mark it
// raised can be lowered on purpose (the store's `delete`, behind `nextgen trust reset-mark`).
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createAgentFactory } from "../factory/create-agent-factory.js";
import { SpecialistAgent } from "../factory/test-kinds.js";
import { directorySource } from "../source/directory-source.js";
import { memorySource } from "../source/memory-source.js";
import { toolRegistry } from "../tools/tool-registry.js";
import { fileStateStore } from "./file-state-store.js";
import { signTemplate } from "./sign-template.js";
import { SignatureError } from "./signature-error.js";
import { fixedClock, makeTestKey, sampleTemplate } from "./test-fixtures.js";
import { trustPolicy } from "./trust-policy.js";

const clock = fixedClock();
const release = makeTestKey("release");
const root = await mkdtemp(join(tmpdir(), "nextgen-prerelease-"));
afterAll(() => rm(root, { recursive: true, force: true }));

const signed = (version: string) =>
  signTemplate(sampleTemplate({ id: "security/auditor", version }), release.signer, { clock: clock });

async function templatesDirectory(versions: string[]): Promise<string> {
  const directory = await mkdtemp(join(root, "templates-"));
  await mkdir(join(directory, "security"));
  for (const version of versions)
    await writeFile(join(directory, "security", `auditor@${version}.json`), JSON.stringify(await signed(version)));
  return directory;
}

const factoryOver = (directory: string, statePath: string, includePrerelease = false) =>
  createAgentFactory({
    source: directorySource(directory, { includePrerelease }),
    kinds: { specialist: SpecialistAgent },
    tools: toolRegistry({ semgrep: () => true }),
    trust: trustPolicy(
      { version: 1, keys: [release.publicJwk] },
      { clock: clock, stateStore: fileStateStore(statePath) },
    ),
  });

describe("pre-releases and the stable line", () => {
  it("serves the highest stable version as latest; a pre-release only when asked", async () => {
    const directory = await templatesDirectory(["2.0.0", "3.0.0-alpha.1"]);
    const factory = factoryOver(directory, join(root, "a.state.json"));
    expect((await factory.create("security/auditor")).template.version).toBe("2.0.0");
    expect((await factory.create("security/auditor", { version: "3.0.0-alpha.1" })).template.version).toBe(
      "3.0.0-alpha.1",
    );
    const opted = factoryOver(directory, join(root, "b.state.json"), true);
    expect((await opted.create("security/auditor")).template.version).toBe("3.0.0-alpha.1");
    const memory = memorySource([await signed("2.0.0"), await signed("3.0.0-alpha.1")]);
    expect((await memory.get("security/auditor"))?.version).toBe("2.0.0");
    expect(
      (await memorySource([await signed("3.0.0-alpha.1")], { includePrerelease: true }).get("security/auditor"))
        ?.version,
    ).toBe("3.0.0-alpha.1");
  });

  it("a withdrawn pre-release's mark locks the stable line out until it is deliberately reset", async () => {
    const statePath = join(root, "c.state.json");
    const withAlpha = await templatesDirectory(["2.0.0", "3.0.0-alpha.1"]);
    await factoryOver(withAlpha, statePath).create("security/auditor", { version: "3.0.0-alpha.1" });
    const stableOnly = await templatesDirectory(["2.0.0"]);
    const refused = await factoryOver(stableOnly, statePath)
      .create("security/auditor")
      .catch((error: unknown) => error);
    expect(SignatureError.is(refused, "NG_ERR_SIGNATURE_ROLLBACK")).toBe(true);
    // The way out: remove the id's mark (what `nextgen trust reset-mark` does, audited).
    expect(await fileStateStore(statePath).delete!("security/auditor")).toBe(true);
    expect((await factoryOver(stableOnly, statePath).create("security/auditor")).template.version).toBe("2.0.0");
    expect(await fileStateStore(statePath).get("security/auditor")).toMatchObject({ version: "2.0.0" });
  });
});
