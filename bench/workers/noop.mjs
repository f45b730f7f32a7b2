// Task module for @nextgen/core/pool, Piscina and tinypool: the default export is the task.
export default function noop(payload) {
  return payload;
}
