// A worker that reports what crossed the thread and when it ran, like a pool worker does.
import { parentPort } from "node:worker_threads";

parentPort.on("message", (carrier) => {
  const workerStartTime = performance.timeOrigin + performance.now();
  let sum = 0;
  for (let index = 0; index < 10_000; index += 1) sum += index;
  const workerEndTime = performance.timeOrigin + performance.now();
  parentPort.postMessage({ carrier, workerStartTime, workerEndTime, sum });
});
