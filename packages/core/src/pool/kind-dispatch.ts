// Task module of an agent pool (`createAgentPool`): one pool of threads serves every
// worker-backed kind (and the pool's own modules), so each task names its module. Modules are imported once
// per thread and kept; the URLs come from `workerKind(...)` calls in the host's code,
// never from a template.
import type { AgentPoolTask } from "./agent-pool-types.js";

type TaskFunction = (payload: unknown) => unknown;

const loaded = new Map<string, TaskFunction | Promise<TaskFunction>>();

async function load(moduleUrl: string): Promise<TaskFunction> {
  try {
    const module = (await import(moduleUrl)) as { default?: unknown };
    const candidate = module.default;
    const nested = (candidate as { default?: unknown } | undefined)?.default;
    const task = typeof candidate === "function" ? candidate : nested;
    if (typeof task !== "function") throw new TypeError(`${moduleUrl} has no default export function`);
    loaded.set(moduleUrl, task as TaskFunction);
    return task as TaskFunction;
  } catch (error) {
    // A module that failed to load may load next time (a file being deployed): do not cache it.
    loaded.delete(moduleUrl);
    throw error;
  }
}

/** Runs `task.payload` with the default export of `task.module`. */
export default function dispatch(task: AgentPoolTask): unknown {
  const known = loaded.get(task.module);
  if (typeof known === "function") return known(task.payload);
  let pending = known;
  if (pending === undefined) {
    pending = load(task.module);
    loaded.set(task.module, pending);
  }
  return pending.then((run) => run(task.payload));
}
