import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type AgentTemplate,
  memoryStateStore,
  parseTemplate,
  SignatureError,
  type TrustedKey,
  trustPolicy,
} from "@nextgen/core";
import { canonicalTemplateBytes } from "@nextgen/core/internal";
import { flipByte } from "@nextgen/test-support";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createProgram } from "../program.js";

// Issue 3, "done means": a template signed by `nextgen sign` is accepted, and the same
// template with any single byte of its canonical content changed is refused.

const sample = fileURLToPath(new URL("../../../../examples/templates/security/auditor@2.0.0.json", import.meta.url));

/** Runs `nextgen …args` in-process; resolves with stdout, rejects on a non-zero exit. */
async function nextgen(...args: string[]): Promise<string> {
  let stdout = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const previous = process.exitCode;
  process.exitCode = 0;
  try {
    await createProgram()
      .exitOverride()
      .parseAsync(["node", "nextgen", ...args]);
    if (process.exitCode !== 0) throw new Error(`nextgen ${args.join(" ")} exited with ${process.exitCode}`);
    return stdout;
  } finally {
    out.mockRestore();
    process.exitCode = previous;
  }
}

let directory: string;
let signed: AgentTemplate;
let publicJwk: TrustedKey;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "nextgen-cli-tamper-"));
  const key = join(directory, "release.pem");
  const file = join(directory, "auditor@2.0.0.json");
  publicJwk = JSON.parse(await nextgen("keygen", "--kid", "release", "--out", key)) as TrustedKey;
  await copyFile(sample, file);
  await nextgen("sign", file, "--key", key, "--kid", "release");
  signed = parseTemplate(await readFile(file));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

// A fresh state store per check: only the signature is under test, not rollback.
const verify = (candidate: AgentTemplate) =>
  trustPolicy({ version: 1, keys: [publicJwk] }, { stateStore: memoryStateStore() }).verify(candidate);

describe("a template signed by `nextgen sign`", () => {
  it("is accepted by the SDK's verifier", async () => {
    expect(signed.signatures).toHaveLength(1);
    await expect(verify(signed)).resolves.toMatchObject({ keyIds: ["release"] });
  });

  it("is refused as bad-signature once any single byte of its canonical content changes", async () => {
    const canonical = canonicalTemplateBytes(signed);
    const original = Buffer.from(canonical).toString("latin1");
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: canonical.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (position, delta) => {
          // Not JSON any more, or not an object: nothing a verifier could be handed.
          const parsed = flipByte(canonical, position, delta);
          fc.pre(parsed !== undefined);
          const candidate = { ...(parsed as unknown as AgentTemplate), signatures: signed.signatures };
          // Only mutations that really change the canonical content are under test.
          let bytes: Uint8Array;
          try {
            bytes = canonicalTemplateBytes(candidate);
          } catch {
            bytes = new Uint8Array();
          }
          fc.pre(Buffer.from(bytes).toString("latin1") !== original);
          const error = await verify(candidate).then(
            () => undefined,
            (caught: unknown) => caught,
          );
          expect(error).toBeInstanceOf(SignatureError);
          // Renaming `id` or `version` leaves nothing to look a signature up for: malformed.
          const identifiable = typeof candidate.id === "string" && typeof candidate.version === "string";
          expect((error as SignatureError).reason).toBe(
            bytes.length > 0 && identifiable ? "bad-signature" : "malformed",
          );
          refused += 1;
        },
      ),
      { numRuns: 300 },
    );
    // The property ran on real mutations, not only on discarded ones.
    expect(refused).toBeGreaterThan(100);
  });
});
