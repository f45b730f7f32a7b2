import { type HighWaterMark, NextGenError, OptionsError, SignatureError, type StateStore } from "@nextgen/core";
import { advancesMark } from "@nextgen/core/internal";
import { type ManagedConnection, manageConnection, type RedisConnectionOptions } from "./redis-client.js";
import { COMPARE_AND_SET_MARK, MAX_MARK_CHARS } from "./redis-state-store-script.js";
import { withTimeout } from "./with-timeout.js";

/**
 * Options of {@link redisStateStore}.
 *
 * @example
 * ```ts
 * redisStateStore({ url: process.env.REDIS_URL, keyPrefix: "myapp:prod:", graceMs: 2_000 });
 * ```
 */
export interface RedisStateStoreOptions extends RedisConnectionOptions {
  /** Prefix of the one hash holding the marks (`<keyPrefix>trust-marks`): one per deployment. @default "nextgen:" */
  keyPrefix?: string;
  /**
   * How long one operation waits for an unreachable Redis to come back, in milliseconds,
   * before it fails closed with `NG_ERR_TRUST_STATE` (verification then refuses: a mark
   * that cannot be read or recorded never lets a template through). @default 2_000
   */
  graceMs?: number;
  /** Time limit of one Redis command, in milliseconds. @default 1_000 */
  commandTimeoutMs?: number;
}

/**
 * A {@link StateStore} in Redis, shared by every replica: with `check` (Redis answers)
 * and `delete` (for `nextgen trust reset-mark`).
 *
 * @example
 * ```ts
 * const store: RedisStateStore = redisStateStore({ url });
 * await store.check(); // rejects with NG_ERR_TRUST_STATE when Redis cannot be used
 * ```
 */
export interface RedisStateStore extends StateStore {
  /** Rejects with `NG_ERR_TRUST_STATE` when Redis does not answer within the grace. */
  check(options?: { signal?: AbortSignal }): Promise<void>;
  /** Removes the mark of `templateId`; resolves whether there was one. */
  delete(templateId: string): Promise<boolean>;
  close(): Promise<void>;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const MAX_ATTEMPTS = 32;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * Rollback high-water marks in Redis, so that every replica of a deployment enforces the
 * marks any of them accepted. `set` decides by semver precedence against the stored mark
 * and writes through a Lua compare-and-set, retrying against whatever another replica
 * wrote meanwhile: a mark is never lowered, and of two digests of one version only one
 * is ever accepted. Fail-closed: while Redis is unreachable an operation waits at most
 * `graceMs`, then rejects with `NG_ERR_TRUST_STATE`, so verification refuses rather than
 * accepting a version it could not record (templates already verified keep being served
 * from the factory's in-process cache).
 *
 * @example
 * ```ts
 * import { redisStateStore } from "@nextgen/cache-redis";
 * const trust = await loadTrustPolicy("trust.json", { stateStore: redisStateStore({ url: process.env.REDIS_URL }) });
 * ```
 */
export function redisStateStore(options: RedisStateStoreOptions = {}): RedisStateStore {
  if (options === null || typeof options !== "object") throw new OptionsError("options", "must be an object");
  const graceMs = options.graceMs ?? 2_000;
  const commandTimeoutMs = options.commandTimeoutMs ?? 1_000;
  if (!Number.isFinite(graceMs) || graceMs < 0) throw new OptionsError("options.graceMs", "must be a number ≥ 0");
  if (!Number.isFinite(commandTimeoutMs) || commandTimeoutMs <= 0)
    throw new OptionsError("options.commandTimeoutMs", "must be a number > 0");
  if (options.keyPrefix !== undefined && typeof options.keyPrefix !== "string")
    throw new OptionsError("options.keyPrefix", "must be a string");
  const key = `${options.keyPrefix ?? "nextgen:"}trust-marks`;
  const connection = manageConnection(options);
  let closed = false;

  /** `command` on a ready client, retried until the grace ends; then fail closed. */
  const run = async <T>(what: string, command: () => Promise<T>, signal?: AbortSignal): Promise<T> => {
    if (closed) throw new NextGenError("NG_ERR_TRUST_STATE", "the Redis state store is closed");
    const deadline = Date.now() + graceMs;
    let lastError: unknown;
    for (;;) {
      signal?.throwIfAborted();
      try {
        await untilReady(connection, deadline);
        return await withTimeout(`Redis ${what}`, commandTimeoutMs, command);
      } catch (error) {
        if (error instanceof SignatureError || NextGenError.is(error, "NG_ERR_TRUST_STATE")) throw error;
        lastError = error;
      }
      if (Date.now() >= deadline || closed) break;
      await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
    }
    const reason = connection.lastError() ?? (lastError instanceof Error ? lastError.message : String(lastError));
    throw new NextGenError(
      "NG_ERR_TRUST_STATE",
      `trust state in Redis (${key}) could not be used for ${graceMs} ms (${reason}); refusing rather than accepting unrecorded versions`,
      { cause: lastError },
    );
  };

  const readMark = (templateId: string, raw: string | null | undefined): HighWaterMark | undefined => {
    if (raw === null || raw === undefined) return undefined;
    const corrupt = (problem: string) =>
      new NextGenError(
        "NG_ERR_TRUST_STATE",
        `trust state in Redis (${key}) is corrupt for ${JSON.stringify(templateId)} (${problem}); refusing without rollback protection`,
      );
    if (raw.length > MAX_MARK_CHARS) throw corrupt(`longer than ${MAX_MARK_CHARS} characters`);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw corrupt("not JSON");
    }
    const { version, digest, ...rest } = (typeof value === "object" && value !== null ? value : {}) as Record<
      string,
      unknown
    >;
    if (typeof version !== "string" || version.length === 0 || typeof digest !== "string" || !DIGEST.test(digest))
      throw corrupt("not a { version, digest } mark");
    if (Object.keys(rest).length > 0) throw corrupt(`unknown member ${JSON.stringify(Object.keys(rest)[0])}`);
    return { version, digest: digest as HighWaterMark["digest"] };
  };

  const checkId = (templateId: unknown): string => {
    if (typeof templateId !== "string" || templateId.length === 0 || templateId.length > 512)
      throw new OptionsError("templateId", "must be a non-empty string of at most 512 characters");
    return templateId;
  };

  return {
    async get(templateId: string): Promise<HighWaterMark | undefined> {
      const id = checkId(templateId);
      return readMark(id, await run("HGET", () => connection.client.hGet(key, id)));
    },
    async set(templateId: string, mark: HighWaterMark): Promise<void> {
      const id = checkId(templateId);
      if (typeof mark?.version !== "string" || typeof mark.digest !== "string" || !DIGEST.test(mark.digest))
        throw new OptionsError("mark", 'must be { version, digest: "sha256:<64 hex>" }');
      const next = JSON.stringify({ version: mark.version, digest: mark.digest });
      let raw = await run("HGET", () => connection.client.hGet(key, id));
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        if (!advancesMark(id, readMark(id, raw), mark)) return;
        const expected = raw ?? "";
        const written = await run("EVAL", () =>
          connection.client.eval(COMPARE_AND_SET_MARK, { keys: [key], arguments: [id, expected, next] }),
        );
        if (written === 1) return;
        // Another replica moved the mark first: decide again against what it wrote.
        raw = typeof written === "string" ? written : null;
      }
      throw new NextGenError(
        "NG_ERR_TRUST_STATE",
        `the mark of ${id} kept changing under ${MAX_ATTEMPTS} attempts to record ${mark.version}`,
      );
    },
    async delete(templateId: string): Promise<boolean> {
      const id = checkId(templateId);
      return (await run("HDEL", () => connection.client.hDel(key, id))) > 0;
    },
    async check(checkOptions: { signal?: AbortSignal } = {}): Promise<void> {
      await run("PING", () => connection.client.ping(), checkOptions.signal);
    },
    async close(): Promise<void> {
      closed = true;
      await connection.close();
    },
  };
}

/** Waits until the client takes commands, polling a known-down connection until `deadline`. */
async function untilReady(connection: ManagedConnection, deadline: number): Promise<void> {
  for (;;) {
    try {
      await withTimeout("Redis connection", Math.max(1, deadline - Date.now()), () => connection.ready());
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
  }
}
