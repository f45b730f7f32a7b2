import { open } from "node:fs/promises";
import type { ErrorCode } from "../errors/codes.js";
import { NextGenError } from "../errors/next-gen-error.js";
import { TemplateParseError } from "../errors/template-parse-error.js";
import { parseStrictJson } from "../template/strict-json.js";

/** Largest `trust.json` or rollback state file read, in bytes: far above any real one, bounded before parsing. */
export const MAX_POLICY_FILE_BYTES: number = 8 * 1024 * 1024;

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Parses the text of a trust policy or rollback state file with the strict parser: a
 * duplicate member (`"revoked": [...], …, "revoked": []`) is refused, not "last wins",
 * so a reviewer and the verifier cannot read one file two ways. Errors name
 * `location:line:column` and carry `code`.
 *
 * @example
 * ```ts
 * const document = parseTrustJson(text, "trust.json", "NG_ERR_TRUST_POLICY_INVALID");
 * ```
 */
export function parseTrustJson(text: string, location: string, code: ErrorCode): unknown {
  try {
    return parseStrictJson(text, { maxDepth: 16, location });
  } catch (error) {
    const detail = error instanceof TemplateParseError ? error.message : `${location}: ${(error as Error).message}`;
    throw new NextGenError(code, `${detail} (strict JSON: no duplicate members, no comments)`, { cause: error });
  }
}

/**
 * @internal Reads a trust file (at most {@link MAX_POLICY_FILE_BYTES}) as UTF-8 and parses it
 * strictly. Resolves undefined when the file does not exist and `missingOk` is set.
 */
export async function readTrustJsonFile(
  path: string,
  code: ErrorCode,
  what: string,
  missingOk = false,
): Promise<unknown> {
  let text: string;
  try {
    const handle = await open(path, "r");
    try {
      const buffer = Buffer.alloc(MAX_POLICY_FILE_BYTES + 1);
      let length = 0;
      while (length < buffer.length) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      if (length > MAX_POLICY_FILE_BYTES)
        throw new NextGenError(code, `${what} ${path} is larger than ${MAX_POLICY_FILE_BYTES} bytes`);
      text = decoder.decode(buffer.subarray(0, length));
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (missingOk && (error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    if (NextGenError.is(error)) throw error;
    const reason =
      error instanceof TypeError
        ? "is not UTF-8"
        : `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    throw new NextGenError(code, `${what} ${path} ${reason}`, { cause: error });
  }
  return parseTrustJson(text, path, code);
}
