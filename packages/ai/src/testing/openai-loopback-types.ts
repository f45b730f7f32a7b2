/** One scripted reply of {@link OpenAiLoopback}: assistant text, or tool calls with JSON arguments. */
export type LoopbackReply =
  | { readonly text: string }
  | { readonly calls: readonly { readonly name: string; readonly arguments: string }[] };

/** One chat completions request the loopback server received. */
export interface LoopbackRequest {
  /** The parsed JSON body (`model`, `messages`, `tools`, `stream`, …). */
  readonly body: Record<string, unknown>;
  /** The `authorization` header, when the client sent one. */
  readonly authorization: string | undefined;
}

/** A running scripted OpenAI-compatible server: what it was asked, and what it answers next. */
export interface OpenAiLoopback {
  /** The base URL a provider takes (`OPENAI_BASE_URL`, `createOpenAICompatible({ baseURL })`); ends in `/v1`. */
  readonly baseUrl: string;
  /** Every `POST /v1/chat/completions` received, in order. Clear it with `requests.length = 0`. */
  readonly requests: LoopbackRequest[];
  /**
   * Replies still to send, first first: push them before the run. A request that finds the
   * script empty gets a 500 with an OpenAI error body, so a run never passes on a made-up answer.
   */
  readonly replies: LoopbackReply[];
  /** Closes the server and its open connections. Idempotent. */
  close(): Promise<void>;
}

/** Options of `startOpenAiLoopback`; every field is optional. */
export interface OpenAiLoopbackOptions {
  /**
   * Largest request body read, in bytes; a larger one is answered 413 without being buffered
   * (a declared `content-length` is refused before any byte is read).
   * @default 1048576 (1 MiB)
   */
  readonly maxBodyBytes?: number;
}
