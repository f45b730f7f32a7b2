import { NextGenError } from "../../errors/next-gen-error.js";
import { OptionsError } from "../../errors/options-error.js";
import type { ToolCallContext } from "../../tools/tool-definition.js";
import { isAgentPool } from "../agent-pool.js";
import { poolModuleUrl } from "../pool-module-url.js";
import { resolvePoolOptions } from "../resolve-options.js";
import type { WorkerPool } from "../types.js";
import { createWorkerPool } from "../worker-pool.js";
import type { WasiCallOutcome, WasiCallPayload } from "./wasi-call.js";
import { loadModule } from "./wasi-module.js";
import { resolveWasiOptions } from "./wasi-options.js";
import { settleOutcome, translatePoolError } from "./wasi-outcome.js";
import type { WasiPoolOptions, WasiTool, WasiToolOptions } from "./wasi-tool-types.js";

/** Defaults of a pool a tool creates for itself: wasm memory is bounded by the module cap, the JS heap by these. */
const OWN_POOL_DEFAULTS: WasiPoolOptions = {
  name: "wasi",
  maxThreads: 2,
  resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
};

let runnerUrl: URL | undefined;
function runner(): URL {
  runnerUrl ??= poolModuleUrl("wasi/wasi-runner");
  return runnerUrl;
}

/**
 * Makes a tool whose implementation is a WebAssembly module run under WASI preview 1, for
 * `toolRegistry`: the input reaches the module as JSON on stdin, its stdout is the result
 * (JSON when it parses, text otherwise). Every call runs in a pool worker with a fresh
 * instance: no file system but the `preopens` (read-only unless `writable`), an empty
 * environment unless `env`, memory capped at `memoryLimitBytes`, time at `timeoutMs`.
 * A trap, an exit code ≠ 0, a timeout, running out of memory, a refused file access and
 * too much output each fail that call alone with their own `NG_ERR_WASI_*` code.
 *
 * @throws {OptionsError} `NG_ERR_OPTIONS_INVALID` naming a bad option (a preopen that is not a directory, …).
 * @throws {NextGenError} `NG_ERR_WASI_MODULE_INVALID` for bytes that are not a usable module.
 * @example
 * ```ts
 * import { createAgentPool, wasiTool } from "@nextgen/core/pool";
 * import { toolRegistry } from "@nextgen/core";
 *
 * const pool = createAgentPool({ maxThreads: 2 });
 * const lint = wasiTool({
 *   module: "./tools/yaml-lint.wasm",
 *   description: "Lints a YAML document against the rules in /rules.",
 *   inputSchema: { type: "object", properties: { yaml: { type: "string" } }, required: ["yaml"] },
 *   preopens: { "/rules": "./rules" },
 *   timeoutMs: 2_000,
 *   pool,
 * });
 * const tools = toolRegistry({ "yaml-lint": lint }); // a template pins it: toolPins: { "yaml-lint": lint.digest }
 * const factory = createAgentFactory({ source, trust, kinds, tools, pool });
 * ```
 */
export function wasiTool<Input = unknown>(options: WasiToolOptions<Input>): WasiTool<Input> {
  if (typeof options !== "object" || options === null) throw new OptionsError("options", "must be an object");
  if (typeof options.description !== "string" || options.description.length === 0) {
    throw new OptionsError("options.description", "must be a non-empty string");
  }
  const schema = options.inputSchema;
  if (typeof schema !== "boolean" && (typeof schema !== "object" || schema === null)) {
    throw new OptionsError("options.inputSchema", "must be a JSON Schema object or boolean, or a Standard Schema");
  }
  const resolved = resolveWasiOptions(options);
  const given = options.pool;
  let poolOptions: WasiPoolOptions | undefined;
  if (given !== undefined && !isAgentPool(given)) {
    if (typeof (given as { run?: unknown }).run === "function") {
      throw new OptionsError("options.pool", "is a pool of one task module; pass createAgentPool() or pool options");
    }
    poolOptions = { ...OWN_POOL_DEFAULTS, ...(given as WasiPoolOptions) };
    resolvePoolOptions({ ...poolOptions, filename: runner() });
  }
  const loaded = loadModule(options.module, resolved.maxPages);
  let owned: WorkerPool<WasiCallPayload, WasiCallOutcome> | undefined;
  let closed = false;

  const run = (payload: WasiCallPayload, signal: AbortSignal | undefined): Promise<WasiCallOutcome> => {
    const runOptions =
      signal === undefined ? { timeoutMs: resolved.timeoutMs } : { timeoutMs: resolved.timeoutMs, signal };
    if (isAgentPool(given)) {
      return given.run({ module: runner().href, payload }, runOptions) as Promise<WasiCallOutcome>;
    }
    owned ??= createWorkerPool<WasiCallPayload, WasiCallOutcome>({
      ...(poolOptions ?? OWN_POOL_DEFAULTS),
      filename: runner(),
    });
    return owned.run(payload, runOptions);
  };

  return {
    description: options.description,
    inputSchema: schema,
    digest: loaded.digest,
    async execute(input: Input, context: ToolCallContext): Promise<unknown> {
      if (closed) throw new NextGenError("NG_ERR_POOL_CLOSED", "This WASI tool was closed");
      const name = context?.toolName ?? "wasi";
      const payload: WasiCallPayload = {
        module: await loaded.compile(),
        stdin: new TextEncoder().encode(JSON.stringify(input ?? null)),
        args: [name],
        env: resolved.env,
        preopens: resolved.preopens,
        memoryLimitBytes: resolved.memoryLimitBytes,
        maxOutputBytes: resolved.maxOutputBytes,
        maxStderrBytes: resolved.maxStderrBytes,
      };
      let outcome: WasiCallOutcome;
      try {
        outcome = await run(payload, context?.signal);
      } catch (error) {
        throw translatePoolError(name, resolved.timeoutMs, error);
      }
      return settleOutcome(name, outcome);
    },
    async close(): Promise<void> {
      closed = true;
      await owned?.close();
    },
  };
}
