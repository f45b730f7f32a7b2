import { advancesMark } from "./advance-mark.js";
import type { HighWaterMark, StateStore } from "./state-store.js";

/**
 * A state store held in memory: marks are lost when the process exits, so a restarted
 * process would accept an older version again. For tests and throwaway processes.
 * `set` never lowers a mark: policies sharing one store cannot race each other backwards.
 *
 * @example
 * ```ts
 * const policy = trustPolicy(document, { stateStore: memoryStateStore() });
 * ```
 */
export function memoryStateStore(): StateStore {
  const marks = new Map<string, HighWaterMark>();
  return {
    async get(templateId: string): Promise<HighWaterMark | undefined> {
      const mark = marks.get(templateId);
      return mark === undefined ? undefined : { ...mark };
    },
    async set(templateId: string, mark: HighWaterMark): Promise<void> {
      if (advancesMark(templateId, marks.get(templateId), mark)) marks.set(templateId, { ...mark });
    },
    async delete(templateId: string): Promise<boolean> {
      return marks.delete(templateId);
    },
  };
}
