/**
 * A guide that walks beside the strict JSON parser (`parseStrictJson`): it learns each member and item as the
 * parser reads it, before the value is built, so it can refuse a document the moment it is
 * known to be refused (fail fast on untrusted bytes) instead of after the whole tree is built.
 * A node is whatever the guide tracks per value (for templates, the schema rule).
 *
 * @example
 * ```ts
 * const countKeys: StrictJsonGuide<undefined> = {
 *   root: undefined,
 *   member: (_node, _key, index) => {
 *     if (index >= 1000) throw new Error("more than 1000 members");
 *     return undefined;
 *   },
 *   item: () => undefined,
 * };
 * parseStrictJson(text, { maxDepth: 32, guide: countKeys });
 * ```
 */
export interface StrictJsonGuide<Node> {
  /** Node of the document's top-level value. */
  readonly root: Node;
  /**
   * Called when the parser has read member `key` (the `index`-th of its object, from 0) of an
   * object whose node is `node`, before reading its value. Returns the node of that value, or
   * throws to refuse the document. `path` ends with `key`; it is only valid during the call.
   */
  member(node: Node, key: string, index: number, path: readonly (string | number)[]): Node;
  /**
   * Called before the parser reads item `index` of an array whose node is `node`. Returns the
   * node of that item, or throws to refuse the document. `path` ends with `index`.
   */
  item(node: Node, index: number, path: readonly (string | number)[]): Node;
}
