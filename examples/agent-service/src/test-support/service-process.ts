// Test support: the service as a child process (`src/main.ts` through tsx, sources not dist),
// for what only a real process shows: exit codes, signals, the start banner.
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";

/** The repository root. */
export const REPO_ROOT: string = resolve(import.meta.dirname, "../../../..");
const MAIN = resolve(REPO_ROOT, "examples/agent-service/src/main.ts");

/** A started service process. */
export interface ServiceProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
}

/** Spawns the service with `env` added to this process's environment. */
export function spawnService(env: Record<string, string>): ServiceProcess {
  // `--import tsx` loads TypeScript in the same process (signals reach the service itself);
  // the repository's tsconfig maps @nextgen/* to the packages' sources.
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    cwd: REPO_ROOT,
    // CI exports REDIS_URL for the Redis tests; these services use Redis only when a test says so.
    env: { ...process.env, REDIS_URL: "", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => {
    stdout += String(chunk);
  });
  child.stderr!.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<number | string>((settle) => {
    child.once("exit", (code, signal) => settle(code ?? signal ?? -1));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Waits until the banner printed the URL and (embedded mode) the admin token. */
export async function bannerOf(
  service: ServiceProcess,
  timeoutMs = 40_000,
): Promise<{ url: string; token: string | undefined }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = service.stdout();
    const url = /listening on (http:\/\/\S+)/.exec(text)?.[1];
    const token = /admin token[^\n]*\n\s+(\S+)/.exec(text)?.[1];
    if (url !== undefined && (token !== undefined || !text.includes("admin token"))) {
      if (text.includes("curl") || !text.includes("admin token")) return { url, token };
    }
    if (Date.now() > deadline) throw new Error(`the service did not start:\n${text}\n${service.stderr()}`);
    const exitedEarly = await Promise.race([
      service.exited.then(() => true),
      new Promise((wait) => setTimeout(() => wait(false), 50)),
    ]);
    if (exitedEarly) throw new Error(`the service exited:\n${text}\n${service.stderr()}`);
  }
}
