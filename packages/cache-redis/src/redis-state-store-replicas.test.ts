import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  Agent,
  type AgentTemplate,
  createAgentFactory,
  localKeySigner,
  memorySource,
  NextGenError,
  signTemplate,
  type TrustedKey,
  trustPolicy,
} from "@nextgen/core";
import { afterAll, describe, expect, it } from "vitest";
import { redisStateStore } from "./redis-state-store.js";
import { REDIS_URL, redisSkipReason, uniquePrefix } from "./redis-test-env.js";

const skip = await redisSkipReason();
// A replica that already sees the other's mark refuses as the verifier words it (a reused
// version); one that loses the race inside the store refuses as a rollback.
const REFUSED = /^NG_ERR_SIGNATURE_(ROLLBACK|VERSION_REUSED)$/;
const pair = generateKeyPairSync("ed25519");
const publicJwk = { ...pair.publicKey.export({ format: "jwk" }), kid: "release", alg: "EdDSA" } as TrustedKey;
const signer = localKeySigner({ key: pair.privateKey, keyId: "release", algorithm: "EdDSA" });
const replicaScript = fileURLToPath(new URL("./__fixtures__/state-replica.ts", import.meta.url));

class Specialist extends Agent<string, string> {
  protected execute(task: string): string {
    return task;
  }
}

const signed = (id: string, version: string, description: string): Promise<AgentTemplate> =>
  signTemplate(
    { schemaVersion: 1, id, version, name: "Race", role: "specialist", description } as AgentTemplate,
    signer,
  );

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

/** A replica: its own factory, its own connection to the shared marks under `keyPrefix`. */
function replica(keyPrefix: string, templates: AgentTemplate[]) {
  const stateStore = redisStateStore({ url: REDIS_URL, keyPrefix });
  const factory = createAgentFactory({
    source: memorySource(templates),
    kinds: { specialist: Specialist },
    trust: trustPolicy({ version: 1, keys: [publicJwk] }, { stateStore }),
  });
  closers.push(
    () => factory.close(),
    () => stateStore.close(),
  );
  return factory;
}

const outcome = (creating: Promise<Agent>): Promise<string> =>
  creating.then(
    (agent) => `accepted ${agent.template.version} ${agent.template.digest}`,
    (error: unknown) => (NextGenError.is(error) ? error.code : `uncoded ${String(error)}`),
  );

describe.skipIf(skip !== undefined)("two factories sharing redisStateStore on one Redis", () => {
  it("never both accept two different templates published as the same version", async () => {
    for (let round = 0; round < 10; round++) {
      const keyPrefix = uniquePrefix(`twins-${round}`);
      const id = "race/agent";
      const a = replica(keyPrefix, [await signed(id, "1.0.0", "Built by release A.")]);
      const b = replica(keyPrefix, [await signed(id, "1.0.0", "Built by release B.")]);
      const results = await Promise.all([outcome(a.create(id)), outcome(b.create(id))]);
      expect(
        results.filter((result) => result.startsWith("accepted")),
        results.join(" | "),
      ).toHaveLength(1);
      expect(results.filter((result) => REFUSED.test(result))).toHaveLength(1);
    }
  });

  it("racing v1 and v2: v2 always wins the mark, and v1 is refused everywhere afterwards", async () => {
    for (let round = 0; round < 10; round++) {
      const keyPrefix = uniquePrefix(`versions-${round}`);
      const id = "race/agent";
      const v1 = await signed(id, "1.0.0", "First release.");
      const v2 = await signed(id, "2.0.0", "Second release.");
      const [old, fresh] =
        round % 2 === 0
          ? [replica(keyPrefix, [v1]), replica(keyPrefix, [v2])]
          : [replica(keyPrefix, [v1]), replica(keyPrefix, [v2])].reverse();
      const [first, second] = await Promise.all([outcome(old!.create(id)), outcome(fresh!.create(id))]);
      const results = [first, second];
      expect(results.some((result) => result.startsWith("accepted 2.0.0"))).toBe(true);
      expect(results.every((result) => result.startsWith("accepted") || result === "NG_ERR_SIGNATURE_ROLLBACK")).toBe(
        true,
      );
      // A third replica that still ships v1 cannot bring it back.
      expect(await outcome(replica(keyPrefix, [v1]).create(id))).toBe("NG_ERR_SIGNATURE_ROLLBACK");
    }
  });

  it("two processes racing two digests of one version: exactly one accepts", { timeout: 60_000 }, async () => {
    const root = await mkdtemp(join(tmpdir(), "nextgen-state-replicas-"));
    closers.push(() => rm(root, { recursive: true, force: true }));
    const jwkFile = join(root, "key.jwk");
    await writeFile(jwkFile, JSON.stringify(publicJwk));
    for (let round = 0; round < 2; round++) {
      const keyPrefix = uniquePrefix(`processes-${round}`);
      const children: ChildProcess[] = [];
      const lines: Array<Promise<string[]>> = [];
      for (const release of ["A", "B"]) {
        const dir = join(root, `${round}-${release}`);
        await mkdir(join(dir, "race"), { recursive: true });
        await writeFile(
          join(dir, "race", "agent.json"),
          JSON.stringify(await signed("race/agent", "1.0.0", `Release ${release}.`)),
        );
        const child = spawn(
          process.execPath,
          ["--no-warnings", "--import", "tsx", replicaScript, REDIS_URL, keyPrefix, dir, jwkFile],
          {
            stdio: ["pipe", "pipe", "inherit"],
          },
        );
        closers.push(async () => void child.kill("SIGKILL"));
        children.push(child);
        lines.push(readLines(child, 2));
      }
      // Both are connected and idle before either creates: the race is real.
      const ready = await Promise.all(children.map((child) => readLines(child, 1)));
      expect(ready.flat()).toEqual(["ready", "ready"]);
      for (const child of children) child.stdin!.write("go\n");
      const results = (await Promise.all(lines)).map((output) => JSON.parse(output.at(-1)!) as Record<string, string>);
      expect(
        results.filter((result) => result.accepted === "1.0.0"),
        JSON.stringify(results),
      ).toHaveLength(1);
      expect(results.filter((result) => REFUSED.test(result.refused ?? ""))).toHaveLength(1);
    }
  });
});

/** The first `count` lines the child prints (bounded: fails when it exits or 30 s pass). */
function readLines(child: ChildProcess, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    let buffer = "";
    const timer = setTimeout(() => reject(new Error(`replica printed ${JSON.stringify(seen)} in 30 s`)), 30_000);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        seen.push(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf("\n");
      }
      if (seen.length >= count) finish(() => resolve(seen.slice(0, count)));
    };
    const onExit = (code: number | null) =>
      finish(() => reject(new Error(`replica exited ${code} after ${JSON.stringify(seen)}`)));
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      child.off("exit", onExit);
      settle();
    };
    child.stdout!.on("data", onData);
    child.once("exit", onExit);
  });
}
