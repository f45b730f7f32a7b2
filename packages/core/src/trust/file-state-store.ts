import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { NextGenError } from "../errors/next-gen-error.js";
import { OptionsError } from "../errors/options-error.js";
import type { HighWaterMark, StateStore } from "./state-store.js";

interface StateFile {
  version: 1;
  marks: Record<string, HighWaterMark>;
}

/**
 * A state store in one JSON file. Each update writes a temporary file and renames it
 * over the old one, so a crash leaves either the old or the new state, never half of
 * one. Reads the file once, then serves from memory; one store per file per process.
 * A corrupt file is refused (`NG_ERR_TRUST_STATE`) rather than treated as empty, which
 * would silently re-open rollbacks.
 *
 * @example
 * ```ts
 * const policy = await loadTrustPolicy("trust.json", { stateStore: fileStateStore("/var/lib/app/trust-state.json") });
 * ```
 */
export function fileStateStore(path: string): StateStore {
  if (typeof path !== "string" || path.length === 0) throw new OptionsError("path", "must be a non-empty file path");
  let loaded: Promise<Map<string, HighWaterMark>> | undefined;
  let writes: Promise<void> = Promise.resolve();

  const load = (): Promise<Map<string, HighWaterMark>> => {
    loaded ??= (async () => {
      let text: string;
      try {
        text = await readFile(path, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
        throw new NextGenError("NG_ERR_TRUST_STATE", `cannot read trust state ${path}`, { cause: error });
      }
      try {
        const state = JSON.parse(text) as StateFile;
        if (state.version !== 1 || typeof state.marks !== "object" || state.marks === null)
          throw new Error("not a version 1 state file");
        return new Map(Object.entries(state.marks));
      } catch (error) {
        throw new NextGenError(
          "NG_ERR_TRUST_STATE",
          `trust state ${path} is corrupt; refusing to start without rollback protection`,
          { cause: error },
        );
      }
    })();
    loaded.catch(() => {
      loaded = undefined;
    });
    return loaded;
  };

  const persist = async (marks: Map<string, HighWaterMark>): Promise<void> => {
    const state: StateFile = { version: 1, marks: Object.fromEntries([...marks].sort(([a], [b]) => (a < b ? -1 : 1))) };
    const temporary = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await mkdir(dirname(path), { recursive: true });
      // Flush the data before the rename: otherwise a power loss can leave the new name
      // pointing at an empty file, which would refuse to start (fail closed) until fixed.
      const file = await open(temporary, "w", 0o600);
      try {
        await file.writeFile(`${JSON.stringify(state, null, 2)}\n`);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, path);
      await syncDirectory(dirname(path));
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => {});
      throw new NextGenError("NG_ERR_TRUST_STATE", `cannot write trust state ${path}`, { cause: error });
    }
  };

  return {
    async get(templateId: string): Promise<HighWaterMark | undefined> {
      const mark = (await load()).get(templateId);
      return mark === undefined ? undefined : { ...mark };
    },
    async set(templateId: string, mark: HighWaterMark): Promise<void> {
      const marks = await load();
      const previous = marks.get(templateId);
      marks.set(templateId, { ...mark });
      const write = writes.then(() => persist(marks));
      writes = write.catch(() => {});
      try {
        await write;
      } catch (error) {
        // Keep memory and disk in agreement: an update that did not persist did not happen.
        if (previous === undefined) marks.delete(templateId);
        else marks.set(templateId, previous);
        throw error;
      }
    },
  };
}

/** Makes the rename durable. Some platforms (Windows) cannot open a directory: best effort there. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(directory, "r");
    await handle.sync();
  } catch {
    // The rename itself succeeded; durability of the directory entry is best effort.
  } finally {
    await handle?.close().catch(() => {});
  }
}
