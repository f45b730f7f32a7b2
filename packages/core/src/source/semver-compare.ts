// Semantic Versioning 2.0.0 precedence (section 11), without a dependency: sources only
// need to order versions to pick the highest.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/**
 * Whether `version` is a valid semantic version (`1.2.3`, `2.0.0-rc.1`, `1.0.0+build.5`).
 *
 * @example
 * ```ts
 * isSemver("2.0.0-rc.1"); // true
 * isSemver("v2"); // false
 * ```
 */
export function isSemver(version: string): boolean {
  return SEMVER.test(version);
}

function compareIdentifiers(left: string, right: string): number {
  const leftNumeric = /^\d+$/.test(left);
  const rightNumeric = /^\d+$/.test(right);
  if (leftNumeric && rightNumeric) return Math.sign(Number(left) - Number(right));
  if (leftNumeric) return -1;
  if (rightNumeric) return 1;
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * Compares two semantic versions by precedence: negative when `left` is lower, positive
 * when higher, 0 when equal (build metadata is ignored). Invalid versions sort lowest.
 *
 * @example
 * ```ts
 * ["1.10.0", "1.2.0", "1.2.0-rc.1"].sort(compareSemver); // ["1.2.0-rc.1", "1.2.0", "1.10.0"]
 * ```
 */
export function compareSemver(left: string, right: string): number {
  const a = SEMVER.exec(left);
  const b = SEMVER.exec(right);
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  for (let index = 1; index <= 3; index++) {
    const difference = Number(a[index]) - Number(b[index]);
    if (difference !== 0) return Math.sign(difference);
  }
  const preA = a[4];
  const preB = b[4];
  if (preA === undefined || preB === undefined) return preA === preB ? 0 : preA === undefined ? 1 : -1;
  const partsA = preA.split(".");
  const partsB = preB.split(".");
  for (let index = 0; index < Math.min(partsA.length, partsB.length); index++) {
    const order = compareIdentifiers(partsA[index]!, partsB[index]!);
    if (order !== 0) return order;
  }
  return Math.sign(partsA.length - partsB.length);
}

/** The highest of `versions` by semver precedence, or `undefined` for an empty list. */
export function highestVersion(versions: Iterable<string>): string | undefined {
  let highest: string | undefined;
  for (const version of versions) if (highest === undefined || compareSemver(version, highest) > 0) highest = version;
  return highest;
}
