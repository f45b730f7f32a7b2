/**
 * Concurrent cold creates of one template, joined: the first runs the whole create (load,
 * verify, resolve, bind) and every create that arrives while it runs waits on one promise
 * of the warm binding it leaves, then only instantiates. A stampede of 10,000 creates is
 * one pipeline and 10,000 `new`s, not 10,000 promise chains through the cache.
 * @internal
 */
export interface SharedColdCreates<B> {
  /** The promise of `key`'s warm binding while a cold create of it runs, else `undefined`. */
  joining(key: string): Promise<B | undefined> | undefined;
  /**
   * Runs `create` (the first cold create of `key`) and, until it settles, lets later
   * creates join it: they get `warmOf()` once it fulfils (`undefined` when it left no
   * warm binding, say it raced an invalidation), or its error.
   */
  lead<A>(key: string, create: () => Promise<A>, warmOf: () => B | undefined): Promise<A>;
}

/**
 * Makes the factory's {@link SharedColdCreates}.
 * @internal
 *
 * @example
 * ```ts
 * const shared = sharedColdCreates<Binding>();
 * const joined = shared.joining(id);
 * if (joined !== undefined) return joined.then((binding) => instantiate(binding));
 * return shared.lead(id, () => createTraced(id), () => cache.peek(id, undefined)?.warm);
 * ```
 */
export function sharedColdCreates<B>(): SharedColdCreates<B> {
  const running = new Map<string, Promise<B | undefined>>();
  return {
    joining: (key) => running.get(key),
    lead(key, create, warmOf) {
      const result = create();
      const binding = result.then(warmOf);
      running.set(key, binding);
      // Joiners handle the rejection themselves; this copy only clears the slot.
      const clear = (): void => {
        if (running.get(key) === binding) running.delete(key);
      };
      binding.then(clear, clear);
      return result;
    },
  };
}
