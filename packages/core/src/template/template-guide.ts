import { TemplateValidationError, type ValidationIssue } from "../errors/template-validation-error.js";
import { formatPointer } from "./json-pointer.js";
import type { StrictJsonGuide } from "./parse-guide.js";
import { type ArrayRule, type ObjectRule, type RecordRule, type SchemaRule, TEMPLATE_RULE } from "./schema-rules.js";
import { declaredRules, expectedKeys, MAX_LISTED_ISSUES, unknownKeyIssue } from "./unknown-key.js";

/** An unknown key seen while parsing, kept to be reported if the parse is stopped. */
interface UnknownKey {
  readonly rule: ObjectRule;
  readonly key: string;
  readonly pointer: string;
}

/**
 * A parse guide that follows the template schema, so `parseTemplate` stops reading a template
 * as soon as the schema refuses it for its size rather than after building all of it: at the
 * 101st key no rule declares (the first 100 are listed, with "did you mean"), at the item past an
 * array's `maxItems` and at the member past a record's `maxProperties`. Below those counts it
 * refuses nothing: validation then reports every problem, as before. Values the schema leaves
 * free-form (`output`, a JSON Schema) are not guided. One guide serves one parse.
 *
 * @param location - File path (or label) for the error, like `parseTemplate`'s.
 * @example
 * ```ts
 * const value = parseStrictJson(text, { maxDepth: 32, guide: templateGuide("auditor.json") });
 * ```
 */
export function templateGuide(location: string | undefined): StrictJsonGuide<SchemaRule | undefined> {
  return new TemplateGuide(location);
}

class TemplateGuide implements StrictJsonGuide<SchemaRule | undefined> {
  readonly root: SchemaRule = TEMPLATE_RULE;
  private readonly unknown: UnknownKey[] = [];

  constructor(private readonly location: string | undefined) {}

  member(
    node: SchemaRule | undefined,
    key: string,
    index: number,
    path: readonly (string | number)[],
  ): SchemaRule | undefined {
    const rule = node?.type === "union" ? node.variants.find((variant) => variant.type === "object") : node;
    if (rule === undefined) return undefined;
    if (rule.type === "object") {
      const keyRule = declaredRules(rule).get(key);
      if (keyRule === undefined) this.noteUnknown(rule, key, path);
      return keyRule;
    }
    if (rule.type === "record") {
      if (index >= rule.maxProperties) this.stop(tooManyMembers(rule, path));
      return rule.values;
    }
    // Any other rule refuses an object by its type: validation says so, nothing below is guided.
    return undefined;
  }

  item(node: SchemaRule | undefined, index: number, path: readonly (string | number)[]): SchemaRule | undefined {
    const rule = node?.type === "union" ? node.variants.find((variant) => variant.type === "array") : node;
    if (rule?.type !== "array") return undefined;
    if (index >= rule.maxItems) this.stop(tooManyItems(rule, path));
    return rule.items;
  }

  private noteUnknown(rule: ObjectRule, key: string, path: readonly (string | number)[]): void {
    if (this.unknown.length < MAX_LISTED_ISSUES) {
      this.unknown.push({ rule, key, pointer: formatPointer(path) });
      return;
    }
    this.stop({
      pointer: formatPointer(path.slice(0, -1)),
      keyword: "additionalProperties",
      message: `has more than ${MAX_LISTED_ISSUES} unknown properties; the rest of the template was not read`,
      expected: expectedKeys(rule),
    });
  }

  /** Refuses the template with the unknown keys seen so far and `last`. */
  private stop(last: ValidationIssue): never {
    const issues = this.unknown.map(({ rule, key, pointer }) => unknownKeyIssue(rule, key, pointer));
    issues.push(last);
    throw new TemplateValidationError(issues, { location: this.location });
  }
}

function tooManyItems(rule: ArrayRule, path: readonly (string | number)[]): ValidationIssue {
  return {
    pointer: formatPointer(path.slice(0, -1)),
    keyword: "maxItems",
    message: `must have at most ${rule.maxItems} items; the rest of the template was not read`,
    expected: `at most ${rule.maxItems} items`,
    actual: `more than ${rule.maxItems} items`,
  };
}

function tooManyMembers(rule: RecordRule, path: readonly (string | number)[]): ValidationIssue {
  return {
    pointer: formatPointer(path.slice(0, -1)),
    keyword: "maxProperties",
    message: `must have at most ${rule.maxProperties} properties; the rest of the template was not read`,
    actual: `more than ${rule.maxProperties} properties`,
  };
}
