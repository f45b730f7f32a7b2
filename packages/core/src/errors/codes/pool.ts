/** Codes raised by the worker pool. */
export const POOL_ERROR_CODES = [
  "NG_ERR_POOL_CLOSED",
  "NG_ERR_POOL_QUEUE_FULL",
  "NG_ERR_POOL_TASK_TIMEOUT",
  "NG_ERR_POOL_TASK_ABORTED",
  "NG_ERR_POOL_WORKER_CRASHED",
  "NG_ERR_POOL_TASK_FAILED",
] as const;
