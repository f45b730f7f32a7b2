// A leaf file (type imports only): what a caller read from the source already.
import type { SourceEntry } from "../source/template-source.js";
import type { AgentTemplate } from "../template/types.js";

/**
 * Bytes a caller read from the source already (hot reload's checked read of an update, a
 * pooled prewarm's read), handed to the cache so that its load of the same key does not
 * read the source again. The cache still parses (unless `template` is given), checks that
 * the entry holds the id and version it is loaded as, and verifies the template.
 * @internal
 */
export interface SourceRead {
  /** The entry as the source served it. */
  readonly entry: SourceEntry;
  /** The strict parse of `entry.bytes` (by core's own parser), when the caller has it. */
  readonly template?: AgentTemplate | undefined;
}
