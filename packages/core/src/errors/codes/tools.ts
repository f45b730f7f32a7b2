/** Codes raised by model-callable tools, model names and delegation between agents (`@nextgen/ai` owns `NG_ERR_AGENT_OUTPUT_INVALID`). */
export const TOOL_ERROR_CODES = [
  "NG_ERR_TOOL_INPUT_INVALID",
  "NG_ERR_TOOL_PIN_MISMATCH",
  "NG_ERR_MODEL_UNKNOWN",
  "NG_ERR_AGENT_DELEGATION_DENIED",
  "NG_ERR_AGENT_DELEGATION_TOO_DEEP",
] as const;
