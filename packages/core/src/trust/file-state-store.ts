import { randomBytes } from "node:crypto";
import { mkdir, open, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { NextGenError } from "../errors/next-gen-error.js";
import { OptionsError } from "../errors/options-error.js";
import { writeFileAtomic } from "../fs/write-file-atomic.js";
import { advancesMark } from "./advance-mark.js";
import { readTrustJsonFile } from "./read-policy-file.js";
import type { HighWaterMark, StateStore } from "./state-store.js";

interface StateFile {
  version: 1;
  marks: Record<string, HighWaterMark>;
}

/**
 * A state store in one JSON file. Each update writes a temporary file and renames it
 * over the old one, so a crash leaves either the old or the new state, never half of
 * one. Reads the file once, then serves from memory; one store per file per process.
 * The file is parsed strictly (a duplicate member is refused, messages give
 * `line:column`) and checked member by member: a corrupt file, or a `marks` that is not an
 * object of `{ version, digest }`, is refused (`NG_ERR_TRUST_STATE`) rather than treated
 * as empty, which would silently re-open rollbacks.
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
      const state = await readTrustJsonFile(path, "NG_ERR_TRUST_STATE", "trust state", true);
      if (state === undefined) return new Map();
      return new Map(Object.entries(checkStateFile(state, path)));
    })();
    loaded.catch(() => {
      loaded = undefined;
    });
    return loaded;
  };

  const persist = async (marks: Map<string, HighWaterMark>): Promise<void> => {
    const state: StateFile = { version: 1, marks: Object.fromEntries([...marks].sort(([a], [b]) => (a < b ? -1 : 1))) };
    try {
      await mkdir(dirname(path), { recursive: true });
      // Durable before it counts: a power loss must not leave the name pointing at an empty
      // file, which would refuse to start (fail closed) until fixed.
      await writeFileAtomic(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    } catch (error) {
      throw new NextGenError("NG_ERR_TRUST_STATE", `cannot write trust state ${path}`, { cause: error });
    }
  };

  return {
    async check(): Promise<void> {
      // Write something real: as root, or on a read-only mount, permission bits say too little.
      const probe = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.probe.tmp`;
      try {
        await mkdir(dirname(path), { recursive: true });
        const file = await open(probe, "wx", 0o600);
        await file.close();
      } catch (error) {
        throw new NextGenError(
          "NG_ERR_TRUST_STATE",
          `trust state ${path} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message} in ${dirname(path)})`,
          { cause: error },
        );
      } finally {
        await rm(probe, { force: true }).catch(() => {});
      }
      await load();
    },
    async delete(templateId: string): Promise<boolean> {
      const marks = await load();
      const previous = marks.get(templateId);
      if (previous === undefined) return false;
      marks.delete(templateId);
      const write = writes.then(() => persist(marks));
      writes = write.catch(() => {});
      try {
        await write;
      } catch (error) {
        marks.set(templateId, previous);
        throw error;
      }
      return true;
    },
    async get(templateId: string): Promise<HighWaterMark | undefined> {
      const mark = (await load()).get(templateId);
      return mark === undefined ? undefined : { ...mark };
    },
    async set(templateId: string, mark: HighWaterMark): Promise<void> {
      const marks = await load();
      const previous = marks.get(templateId);
      if (!advancesMark(templateId, previous, mark)) return;
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

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The marks of a parsed state file, or `NG_ERR_TRUST_STATE` naming the first structural problem. */
function checkStateFile(state: unknown, path: string): Record<string, HighWaterMark> {
  const corrupt = (problem: string): NextGenError =>
    new NextGenError(
      "NG_ERR_TRUST_STATE",
      `trust state ${path} is corrupt (${problem}); refusing to start without rollback protection`,
    );
  if (typeof state !== "object" || state === null || Array.isArray(state)) throw corrupt("not a JSON object");
  const { version, marks, ...rest } = state as Record<string, unknown>;
  if (version !== 1) throw corrupt(`version must be 1, got ${JSON.stringify(version)}`);
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw corrupt(`unknown member ${JSON.stringify(extra)}`);
  if (typeof marks !== "object" || marks === null || Array.isArray(marks))
    throw corrupt("marks must be an object of template id → { version, digest }");
  const checked: Record<string, HighWaterMark> = {};
  for (const [templateId, mark] of Object.entries(marks)) {
    const where = `marks[${JSON.stringify(templateId)}]`;
    if (typeof mark !== "object" || mark === null || Array.isArray(mark)) throw corrupt(`${where} must be an object`);
    const { version: markVersion, digest, ...others } = mark as Record<string, unknown>;
    if (typeof markVersion !== "string" || markVersion.length === 0)
      throw corrupt(`${where}.version must be a non-empty string`);
    if (typeof digest !== "string" || !DIGEST.test(digest)) throw corrupt(`${where}.digest must be "sha256:<64 hex>"`);
    if (Object.keys(others).length > 0)
      throw corrupt(`${where} has unknown member ${JSON.stringify(Object.keys(others)[0])}`);
    checked[templateId] = { version: markVersion, digest: digest as HighWaterMark["digest"] };
  }
  return checked;
}
