import type { IncomingMessage } from "node:http";

/**
 * @internal Reads a request body as UTF-8, or `undefined` as soon as it exceeds
 * `maxBytes` (the rest is not buffered; the connection is left to the server to close).
 */
export async function readBoundedBody(request: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    request.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    total += buffer.byteLength;
    if (total > maxBytes) {
      request.resume();
      return undefined;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
