import { type PoolTask, TaskState } from "./pool-task.js";

/**
 * FIFO of tasks with O(1) removal: an aborted task is only marked settled and skipped
 * when it reaches the head, so aborting never scans the queue.
 */
export class TaskQueue<Task extends PoolTask<object> = PoolTask> {
  #items: Task[] = [];
  #head = 0;
  /** Live (not yet settled) tasks. */
  size = 0;

  push(task: Task): void {
    this.#items.push(task);
    this.size++;
  }

  /** Puts tasks back at the head, in order (a retired worker's untouched tasks). */
  pushFront(tasks: readonly Task[]): void {
    const rest = this.#items.slice(this.#head);
    this.#items = [...tasks, ...rest];
    this.#head = 0;
    this.size += tasks.length;
  }

  /** The next live task, without removing it. */
  peek(): Task | undefined {
    this.#skipSettled();
    return this.#items[this.#head];
  }

  shift(): Task | undefined {
    this.#skipSettled();
    const task = this.#items[this.#head];
    if (task === undefined) return undefined;
    this.#items[this.#head] = undefined as unknown as Task;
    this.#head++;
    this.size--;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return task;
  }

  /** A queued task settled elsewhere (aborted): it no longer counts. */
  forget(): void {
    this.size--;
  }

  /** Removes and returns every live task. */
  drain(): Task[] {
    const live = this.#items.slice(this.#head).filter((task) => task !== undefined && task.state !== TaskState.Settled);
    this.#items = [];
    this.#head = 0;
    this.size = 0;
    return live;
  }

  #skipSettled(): void {
    while (this.#head < this.#items.length && this.#items[this.#head]?.state === TaskState.Settled) this.#head++;
  }
}
