import { afterEach, describe, expect, it } from "vitest";
import { NextGenError } from "../errors/next-gen-error.js";
import type { TemplateSource } from "../source/template-source.js";
import type { AgentTemplate } from "../template/types.js";

/** Builds the source under test holding exactly `templates`; called once per test. */
export type MakeTemplateSource = (templates: AgentTemplate[]) => TemplateSource | Promise<TemplateSource>;

function template(id: string, version: string, extra: Partial<AgentTemplate> = {}): AgentTemplate {
  return { schemaVersion: 1, id, version, name: `${id} ${version}`, role: "specialist", ...extra };
}

const fixtures: AgentTemplate[] = [
  template("base/specialist", "1.0.0", { description: "Base.", tools: ["grep"] }),
  template("security/auditor", "1.2.0", { extends: "base/specialist" }),
  template("security/auditor", "1.10.0", { extends: "base/specialist" }),
  template("security/auditor", "2.0.0-rc.1", { extends: "base/specialist" }),
  template("security/auditor", "1.9.0", { extends: "base/specialist" }),
  template("quality/linter", "0.1.0"),
];

const decoder = new TextDecoder();

/**
 * The conformance suite of the `TemplateSource` contract. Run it from a vitest test file
 * against any implementation; `makeSource` receives the templates the source must hold.
 *
 * @example
 * ```ts
 * import { testTemplateSource } from "@nextgen/core/testing";
 * testTemplateSource("s3Source", async (templates) => s3Source(await upload(templates)));
 * ```
 */
export function testTemplateSource(name: string, makeSource: MakeTemplateSource): void {
  describe(`TemplateSource conformance: ${name}`, () => {
    const opened: TemplateSource[] = [];
    const make = async (templates: AgentTemplate[] = fixtures): Promise<TemplateSource> => {
      const source = await makeSource(templates);
      opened.push(source);
      return source;
    };
    afterEach(async () => {
      for (const source of opened.splice(0)) await source.close?.();
    });

    it("has a non-empty name", async () => {
      const source = await make();
      expect(typeof source.name).toBe("string");
      expect(source.name.length).toBeGreaterThan(0);
    });

    it("lists every version it holds, once each", async () => {
      const refs = await (await make()).list();
      const keys = refs.map((ref) => `${ref.id}@${ref.version}`).sort();
      expect(keys).toEqual(fixtures.map((fixture) => `${fixture.id}@${fixture.version}`).sort());
    });

    it("returns the exact version asked for, as the template's JSON bytes", async () => {
      const entry = await (await make()).get("security/auditor", "1.9.0");
      expect(entry).toMatchObject({ id: "security/auditor", version: "1.9.0" });
      expect(entry!.bytes).toBeInstanceOf(Uint8Array);
      expect(JSON.parse(decoder.decode(entry!.bytes))).toEqual(fixtures[4]);
      expect(typeof entry!.location).toBe("string");
      expect(entry!.location.length).toBeGreaterThan(0);
    });

    it("returns the highest version by semver precedence when no version is given, pre-releases left out", async () => {
      // 1.10.0 > 1.9.0 > 1.2.0: numeric, not lexical. 2.0.0-rc.1 is higher, but a pre-release
      // is "latest" only when asked for (npm's semantics), so it cannot lock out the stable line.
      const entry = await (await make()).get("security/auditor");
      expect(entry?.version).toBe("1.10.0");
      const stable = await (await make(fixtures.slice(0, 3))).get("security/auditor");
      expect(stable?.version).toBe("1.10.0");
      expect((await (await make()).get("security/auditor", "2.0.0-rc.1"))?.version).toBe("2.0.0-rc.1");
    });

    it("answers latest (when it has it) with the version get(id) returns, and undefined for an unknown id", async () => {
      const source = await make();
      if (source.latest === undefined) return;
      for (const id of ["security/auditor", "quality/linter", "base/specialist"]) {
        const latest = await source.latest(id);
        expect(latest?.version, id).toBe((await source.get(id))?.version);
        if (latest?.entry !== undefined) expect(latest.entry.version).toBe(latest.version);
      }
      expect(await source.latest("security/unknown")).toBeUndefined();
    });

    it("serves a template held in one version only", async () => {
      expect((await (await make()).get("quality/linter"))?.version).toBe("0.1.0");
    });

    it("returns undefined for an unknown id or version", async () => {
      const source = await make();
      expect(await source.get("security/unknown")).toBeUndefined();
      expect(await source.get("nothing/here")).toBeUndefined();
      expect(await source.get("security/auditor", "9.9.9")).toBeUndefined();
    });

    it("refuses ids that could escape the source (path traversal)", async () => {
      const source = await make();
      for (const id of [
        "../etc/passwd",
        "security/../../x",
        "quality/deep/linter",
        "/abs/path",
        "Security/Auditor",
        "security\\auditor",
        "",
      ]) {
        await expect(source.get(id), id).rejects.toSatisfy((error) =>
          NextGenError.is(error, "NG_ERR_SOURCE_ID_INVALID"),
        );
      }
    });

    it("lists nothing when empty", async () => {
      expect(await (await make([])).list()).toEqual([]);
    });

    it("honours an aborted signal", async () => {
      const source = await make();
      const signal = AbortSignal.abort();
      await expect(source.get("security/auditor", undefined, { signal })).rejects.toThrow();
      await expect(source.list({ signal })).rejects.toThrow();
    });

    it("closes idempotently when it can close", async () => {
      const source = await make();
      await source.close?.();
      await source.close?.();
    });
  });
}
