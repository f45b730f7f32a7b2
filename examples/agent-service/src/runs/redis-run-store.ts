import { NextGenError } from "@nextgen/core";
import { createClient } from "redis";
import type { ServiceErrorCode } from "../errors/service-error-codes.js";
import type { RunRecord } from "./run-registry.js";

/** Options of {@link redisRunStore}. */
export interface RedisRunStoreOptions {
  url: string;
  /** Key and channel prefix shared by the replicas of one deployment (`NEXTGEN_REDIS_PREFIX`). */
  prefix: string;
  /** Called on the replica that runs `runId` when any replica asked to cancel it. */
  onCancel: (runId: string, reason: string) => void;
  /** How long a record stays after its last update, in ms. @default 15 minutes */
  retainMs?: number;
  /** Time limit of one Redis command, in ms: past it the request fails with a coded 503. @default 1_000 */
  commandTimeoutMs?: number;
}

/**
 * Async runs shared by every replica: records (status, result) in Redis, so any replica
 * answers `GET /v1/runs/{id}`, and cancels on pub/sub, so a `DELETE` reaches the replica
 * running it. Redis down is never a hang: each command is bounded, and a run that needs
 * Redis fails with `NG_ERR_RUN_STORE_UNAVAILABLE` (503); synchronous runs do not need it.
 *
 * @example
 * ```ts
 * const shared = redisRunStore({ url, prefix: "nextgen:agent-service:", onCancel: (id, why) => runs.cancel(id, why) });
 * await shared.ready();
 * ```
 */
export function redisRunStore(options: RedisRunStoreOptions) {
  const retainMs = options.retainMs ?? 15 * 60_000;
  const timeoutMs = options.commandTimeoutMs ?? 1_000;
  const channel = `${options.prefix}runs:cancel`;
  const keyOf = (runId: string) => `${options.prefix}run:${runId}`;
  const connect = () => {
    const client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      socket: { connectTimeout: timeoutMs, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1_000) },
    });
    client.on("error", () => undefined);
    return client;
  };
  const commands = connect();
  const subscriber = connect();
  const unavailable = (cause: unknown) =>
    new NextGenError<ServiceErrorCode>(
      "NG_ERR_RUN_STORE_UNAVAILABLE",
      "Async runs are kept in Redis, which does not answer; retry shortly.",
      { cause },
    );
  const bounded = async <T>(work: () => Promise<T>): Promise<T> => {
    if (!commands.isReady) throw unavailable(new Error("not connected"));
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        work(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      throw unavailable(error);
    } finally {
      clearTimeout(timer);
    }
  };
  const save = (record: RunRecord) =>
    bounded(() => commands.set(keyOf(record.runId), JSON.stringify(record), { PX: retainMs }));
  const pending = new Set<Promise<unknown>>();

  return {
    /** Connects both clients and subscribes to cancels; rejects when Redis does not answer. */
    async ready(): Promise<void> {
      await Promise.all([commands.connect(), subscriber.connect()]);
      await subscriber.subscribe(channel, (message) => {
        try {
          const { runId, reason } = JSON.parse(message) as { runId?: unknown; reason?: unknown };
          if (typeof runId === "string" && typeof reason === "string") options.onCancel(runId, reason.slice(0, 200));
        } catch {
          // A malformed message cancels nothing.
        }
      });
    },
    /** Rejects with the coded 503 unless Redis answers now (checked before an async run starts). */
    async available(): Promise<void> {
      await bounded(() => commands.ping());
    },
    /** Stores the running record, then again when the run settles (best effort: the run already happened). */
    async track(record: RunRecord, outcome: Promise<unknown>): Promise<void> {
      await save(record);
      // The registry updates `record` in place when the run settles: store that.
      const final = outcome
        .then(
          () => undefined,
          () => undefined,
        )
        .then(() => save(record))
        .catch(() => undefined)
        .finally(() => pending.delete(final));
      pending.add(final);
    },
    /** The record of a run from any replica, or undefined. */
    async get(runId: string): Promise<RunRecord | undefined> {
      const text = await bounded(() => commands.get(keyOf(runId)));
      return text === null ? undefined : (JSON.parse(text) as RunRecord);
    },
    /** Asks every replica to cancel `runId` (the one running it does). */
    async cancel(runId: string, reason: string): Promise<void> {
      await bounded(() => commands.publish(channel, JSON.stringify({ runId, reason })));
    },
    async close(): Promise<void> {
      await Promise.all(pending);
      for (const client of [subscriber, commands]) {
        if (client.isReady) await client.close().catch(() => client.destroy());
        else if (client.isOpen) client.destroy();
      }
    },
  };
}

/** The shared run store the service uses when `REDIS_URL` is set. */
export type RedisRunStore = ReturnType<typeof redisRunStore>;
