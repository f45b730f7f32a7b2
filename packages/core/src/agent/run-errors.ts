import { NextGenError } from "../errors/next-gen-error.js";

/** @internal */
export function agentError(
  code: "NG_ERR_AGENT_DISPOSED" | "NG_ERR_AGENT_BUSY" | "NG_ERR_AGENT_ABORTED" | "NG_ERR_AGENT_TIMEOUT",
  instanceId: string,
  detail: string,
  cause?: unknown,
): NextGenError {
  return new NextGenError(code, `Agent ${instanceId} ${detail}`, cause === undefined ? undefined : { cause });
}

/** Whether an attempt's failure ends the run at once instead of being retried. @internal */
export function isFinal(error: unknown): boolean {
  return NextGenError.is(error, "NG_ERR_AGENT_ABORTED") || NextGenError.is(error, "NG_ERR_AGENT_DISPOSED");
}
