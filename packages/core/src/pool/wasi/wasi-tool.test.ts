import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { NextGenError } from "../../errors/next-gen-error.js";
import type { ToolCallContext } from "../../tools/tool-definition.js";
import { createAgentPool } from "../agent-pool.js";
import { buildFixtures, type Fixture } from "./fixtures/build-fixtures.js";
import { wasiTool } from "./wasi-tool.js";
import { WasiToolError } from "./wasi-tool-error.js";
import type { WasiTool, WasiToolOptions } from "./wasi-tool-types.js";
import { wasm } from "./wasm-api.js";

let modules: Record<Fixture, Uint8Array>;
let root: string;
let granted: string;
const tools: WasiTool[] = [];
const inputSchema = { type: "object" } as const;

beforeAll(async () => {
  modules = await buildFixtures();
  root = await mkdtemp(join(tmpdir(), "nextgen-wasi-"));
  granted = join(root, "granted");
  await mkdir(granted);
  await writeFile(join(granted, "input.txt"), "rules: strict\n");
});

afterAll(async () => {
  await Promise.all(tools.splice(0).map((tool) => tool.close()));
  await rm(root, { recursive: true, force: true });
});

function tool(fixture: Fixture, options: Partial<WasiToolOptions> = {}): WasiTool {
  const made = wasiTool({ module: modules[fixture], description: `${fixture} fixture`, inputSchema, ...options });
  tools.push(made);
  return made;
}

const context = (toolName = "fixture"): ToolCallContext => ({ signal: undefined, toolName, agent: undefined });

/** The same xorshift32 loop as compute.wat. */
function expectedHash(rounds: number): number {
  let hash = 2463534242;
  for (let left = rounds; left > 0; left--) {
    hash = (hash ^ (hash << 13)) >>> 0;
    hash = (hash ^ (hash >>> 17)) >>> 0;
    hash = (hash ^ (hash << 5)) >>> 0;
  }
  return hash;
}

async function failure(promise: Promise<unknown> | unknown): Promise<WasiToolError> {
  const error = await Promise.resolve(promise).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof WasiToolError)) throw new Error(`expected a WasiToolError, got ${String(error)}`);
  return error;
}

/** Runs the compute module a few times alongside `hostile`, and checks they all succeed. */
async function othersSucceed(compute: WasiTool): Promise<void> {
  const results = await Promise.all([1, 2, 3].map((rounds) => compute.execute({ rounds }, context())));
  expect(results).toEqual([1, 2, 3].map((rounds) => ({ rounds, hash: expectedHash(rounds) })));
}

describe("wasiTool", () => {
  test("runs a module in the pool: JSON on stdin, JSON from stdout, digest of the bytes", async () => {
    const compute = tool("compute");
    expect(compute.digest).toBe(`sha256:${createHash("sha256").update(modules.compute).digest("hex")}`);
    expect(compute.description).toBe("compute fixture");
    expect(compute.inputSchema).toEqual(inputSchema);
    expect(await compute.execute({ rounds: 1000 }, context())).toEqual({ rounds: 1000, hash: expectedHash(1000) });
  });

  test("reads a module from a path or a file URL, with the same digest", async () => {
    const file = join(root, "compute.wasm");
    await writeFile(file, modules.compute);
    const fromPath = tool("compute", { module: file });
    const fromUrl = tool("compute", { module: pathToFileURL(file) });
    expect(fromPath.digest).toBe(tool("compute").digest);
    expect(fromUrl.digest).toBe(fromPath.digest);
    expect(await fromUrl.execute({ rounds: 7 }, context())).toEqual({ rounds: 7, hash: expectedHash(7) });
  });

  test("runs a compiled WebAssembly.Module, which has no digest to pin", async () => {
    const compiled = await wasm.compile(modules.compute);
    const fromModule = tool("compute", { module: compiled });
    expect(fromModule.digest).toBeUndefined();
    expect(await fromModule.execute({ rounds: 3 }, context())).toEqual({ rounds: 3, hash: expectedHash(3) });
  });

  test("an exit code ≠ 0 fails with NG_ERR_WASI_EXIT and the module's stderr", async () => {
    const compute = tool("compute");
    const error = await failure(compute.execute({ rounds: "none" }, context("hash")));
    expect(error.code).toBe("NG_ERR_WASI_EXIT");
    expect(error.exitCode).toBe(2);
    expect(error.stderr).toBe("no round count in the input\n");
    expect(error.message).toContain("hash exited with code 2");
    await othersSucceed(compute);
  });

  test("a trap fails with NG_ERR_WASI_TRAP, and only that call", async () => {
    const compute = tool("compute");
    const [error] = await Promise.all([failure(tool("trap").execute({}, context())), othersSucceed(compute)]);
    expect(error.code).toBe("NG_ERR_WASI_TRAP");
    expect(error.message).toMatch(/unreachable/);
  });

  test("a module that loops forever fails with NG_ERR_WASI_TIMEOUT; its worker is replaced, other calls go on", async () => {
    const compute = tool("compute");
    const looping = tool("loop", { timeoutMs: 300 });
    const [error] = await Promise.all([failure(looping.execute({}, context())), othersSucceed(compute)]);
    expect(error.code).toBe("NG_ERR_WASI_TIMEOUT");
    expect(NextGenError.is(error.cause, "NG_ERR_POOL_TASK_TIMEOUT")).toBe(true);
    await othersSucceed(compute);
    // The looping tool's own pool has a fresh worker: a second call is judged the same way.
    expect((await failure(looping.execute({}, context()))).code).toBe("NG_ERR_WASI_TIMEOUT");
  });

  test("a module that allocates without bound fails with NG_ERR_WASI_OUT_OF_MEMORY at memoryLimitBytes", async () => {
    const compute = tool("compute");
    const grow = tool("grow", { memoryLimitBytes: 4 * 1024 * 1024 });
    const [error] = await Promise.all([failure(grow.execute({}, context())), othersSucceed(compute)]);
    expect(error.code).toBe("NG_ERR_WASI_OUT_OF_MEMORY");
    expect(error.message).toContain(String(4 * 1024 * 1024));
    await othersSucceed(compute);
  });

  test("a module cannot open /etc/passwd: no preopen, or climbing out of one, is refused", async () => {
    const compute = tool("compute");
    const ungranted = tool("passwd");
    const [error] = await Promise.all([failure(ungranted.execute({}, context())), othersSucceed(compute)]);
    expect(error.code).toBe("NG_ERR_WASI_ACCESS_DENIED");
    expect(error.stdout).not.toContain("root:");
    expect(error.denied).toContain("path_open /etc/passwd");

    const climbing = tool("passwd", { preopens: { "/sandbox": granted } });
    const climbed = await failure(climbing.execute({}, context()));
    expect(climbed.code).toBe("NG_ERR_WASI_ACCESS_DENIED");
    expect(climbed.stdout).not.toContain("root:");
    expect(climbed.denied).toEqual(["path_open /etc/passwd", "path_open ../../../../../../../../etc/passwd"]);

    // WASI itself follows a symlink out of a granted directory; the sandbox does not.
    const linked = join(root, "linked");
    await mkdir(linked);
    await symlink("/etc", join(linked, "etc"));
    const throughLink = await failure(tool("passwd", { preopens: { "/": linked } }).execute({}, context()));
    expect(throughLink.code).toBe("NG_ERR_WASI_ACCESS_DENIED");
    expect(throughLink.stdout).not.toContain("root:");
    expect(throughLink.denied).toEqual([
      "path_open /etc/passwd",
      "path_open ../../../../../../../../etc/passwd",
      "path_open etc/passwd",
    ]);
  });

  test("a granted directory is readable, and read-only unless declared writable", async () => {
    const compute = tool("compute");
    const readOnly = tool("files", { preopens: { "/data": granted } });
    expect(await readOnly.execute("read", context())).toBe("rules: strict\n");

    const [refused] = await Promise.all([failure(readOnly.execute("write", context())), othersSucceed(compute)]);
    expect(refused.code).toBe("NG_ERR_WASI_ACCESS_DENIED");
    expect(refused.stdout).toBe("rules: strict\n");
    expect(refused.denied).toEqual(["path_open output.txt"]);
    const deleted = await failure(readOnly.execute("delete", context()));
    expect(deleted.code).toBe("NG_ERR_WASI_ACCESS_DENIED");
    expect(deleted.denied).toEqual(["path_unlink_file input.txt"]);
    expect((await readdir(granted)).sort()).toEqual(["input.txt"]);

    const writable = tool("files", { preopens: { "/data": granted }, writable: ["/data"] });
    expect(await writable.execute("write", context())).toBe("rules: strict\n");
    expect(await readFile(join(granted, "output.txt"), "utf8")).toBe("written");
    await rm(join(granted, "output.txt"));
  });

  test("the environment is empty unless granted", async () => {
    expect(await tool("env").execute({}, context())).toBe("");
    expect(await tool("env", { env: { MODE: "strict", REGION: "eu" } }).execute({}, context())).toBe(
      "MODE=strict\0REGION=eu\0",
    );
  });

  test("stdout past maxOutputBytes fails with NG_ERR_WASI_OUTPUT_TOO_LARGE", async () => {
    const error = await failure(tool("compute", { maxOutputBytes: 8 }).execute({ rounds: 5 }, context()));
    expect(error.code).toBe("NG_ERR_WASI_OUTPUT_TOO_LARGE");
  });

  test("runs on an agent pool it is given, which it leaves open", async () => {
    const pool = createAgentPool({ maxThreads: 1 });
    try {
      const compute = tool("compute", { pool });
      expect(await compute.execute({ rounds: 10 }, context())).toEqual({ rounds: 10, hash: expectedHash(10) });
      expect((await failure(tool("trap", { pool }).execute({}, context()))).code).toBe("NG_ERR_WASI_TRAP");
      await compute.close();
      expect(pool.stats()).toMatchObject({ closed: false, completed: 2 });
    } finally {
      await pool.close();
    }
  });

  test("on one shared pool, each hostile module fails with its own code while the others' calls succeed", async () => {
    const pool = createAgentPool({ maxThreads: 2 });
    try {
      const shared = { pool };
      const compute = tool("compute", shared);
      const calls = await Promise.allSettled([
        tool("loop", { ...shared, timeoutMs: 500 }).execute({}, context()),
        tool("grow", { ...shared, memoryLimitBytes: 2 * 1024 * 1024 }).execute({}, context()),
        tool("trap", shared).execute({}, context()),
        tool("passwd", shared).execute({}, context()),
        tool("files", { ...shared, preopens: { "/data": granted } }).execute("write", context()),
        ...[4, 5, 6, 7].map((rounds) => compute.execute({ rounds }, context())),
      ]);
      const codes = calls
        .slice(0, 5)
        .map((call) => (call.status === "rejected" ? (call.reason as WasiToolError).code : "ok"));
      expect(codes).toEqual([
        "NG_ERR_WASI_TIMEOUT",
        "NG_ERR_WASI_OUT_OF_MEMORY",
        "NG_ERR_WASI_TRAP",
        "NG_ERR_WASI_ACCESS_DENIED",
        "NG_ERR_WASI_ACCESS_DENIED",
      ]);
      expect(calls.slice(5)).toEqual(
        [4, 5, 6, 7].map((rounds) => ({ status: "fulfilled", value: { rounds, hash: expectedHash(rounds) } })),
      );
      await othersSucceed(compute);
    } finally {
      await pool.close();
    }
  });

  test("a closed tool refuses calls", async () => {
    const compute = tool("compute");
    await compute.close();
    await compute.close();
    const error = await Promise.resolve(compute.execute({ rounds: 1 }, context())).catch((reason: unknown) => reason);
    expect(NextGenError.is(error, "NG_ERR_POOL_CLOSED")).toBe(true);
  });
});

describe("wasiTool options", () => {
  const base = (): WasiToolOptions => ({ module: modules.compute, description: "compute", inputSchema });
  const refusal = (options: Partial<WasiToolOptions>): unknown => {
    try {
      wasiTool({ ...base(), ...options });
    } catch (error) {
      return error;
    }
    return undefined;
  };

  test("refuses bad grants and limits when the tool is made, naming the option", () => {
    expect(refusal({ writable: ["/data"] })).toMatchObject({
      code: "NG_ERR_OPTIONS_INVALID",
      option: "options.writable",
    });
    expect(refusal({ preopens: { "/data": join(root, "missing") } })).toMatchObject({
      option: 'options.preopens["/data"]',
    });
    expect(refusal({ env: { "A=B": "x" } })).toMatchObject({ option: "options.env" });
    expect(refusal({ memoryLimitBytes: 1000 })).toMatchObject({ option: "options.memoryLimitBytes" });
    expect(refusal({ timeoutMs: 0 })).toMatchObject({ option: "options.timeoutMs" });
    expect(refusal({ description: "" })).toMatchObject({ option: "options.description" });
    expect(refusal({ module: join(root, "missing.wasm") })).toMatchObject({ option: "options.module" });
    expect(refusal({ module: {} })).toMatchObject({ option: "options.module" });
    expect(refusal({ module: root })).toMatchObject({ option: "options.module" });
    expect(refusal({ pool: { maxThreads: 0 } })).toMatchObject({ option: "options.maxThreads" });
  });

  test("refuses bytes that are not a module, and a module whose initial memory is over the limit", () => {
    expect(refusal({ module: new Uint8Array([0, 97, 115, 109, 9, 9]) })).toMatchObject({
      code: "NG_ERR_WASI_MODULE_INVALID",
    });
    // compute.wat starts with one page: a limit of one page is enough, below it is not possible.
    expect(refusal({ memoryLimitBytes: 65_536 })).toBeUndefined();
    expect(refusal({ module: modules.grow, memoryLimitBytes: 65_536 })).toBeUndefined();
  });
});
