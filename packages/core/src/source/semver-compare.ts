// Semantic Versioning 2.0.0 precedence (section 11), without a dependency. The one
// comparator of core: sources pick the highest version with it, trust orders rollback
// high-water marks with it.
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

// Numeric identifiers are compared as digit strings (length, then lexically: the regex
// forbids leading zeros), so versions past 2^53 order exactly — rollback protection
// depends on it, and Number() would call 9007199254740993 equal to 9007199254740992.
function compareNumeric(left: string, right: string): number {
  if (left.length !== right.length) return left.length < right.length ? -1 : 1;
  return left < right ? -1 : left > right ? 1 : 0;
}

function compareIdentifiers(left: string, right: string): number {
  const leftNumeric = /^\d+$/.test(left);
  const rightNumeric = /^\d+$/.test(right);
  if (leftNumeric && rightNumeric) return compareNumeric(left, right);
  if (leftNumeric) return -1;
  if (rightNumeric) return 1;
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * Compares two semantic versions by precedence: -1 when `left` is lower, 1 when higher, 0
 * when equal (build metadata is ignored); `undefined` when either is not a semantic
 * version, so callers that must not guess (rollback checks) can refuse.
 *
 * @example
 * ```ts
 * compareVersions("1.10.0", "1.9.0"); // 1
 * compareVersions("1.0", "1.0.0"); // undefined
 * ```
 */
export function compareVersions(left: string, right: string): -1 | 0 | 1 | undefined {
  const a = SEMVER.exec(left);
  const b = SEMVER.exec(right);
  if (!a || !b) return undefined;
  for (let index = 1; index <= 3; index++) {
    const order = compareNumeric(a[index]!, b[index]!);
    if (order !== 0) return order as -1 | 1;
  }
  const preA = a[4];
  const preB = b[4];
  if (preA === undefined || preB === undefined) return preA === preB ? 0 : preA === undefined ? 1 : -1;
  const partsA = preA.split(".");
  const partsB = preB.split(".");
  for (let index = 0; index < Math.min(partsA.length, partsB.length); index++) {
    const order = compareIdentifiers(partsA[index]!, partsB[index]!);
    if (order !== 0) return order as -1 | 1;
  }
  return Math.sign(partsA.length - partsB.length) as -1 | 0 | 1;
}

/**
 * Compares two semantic versions for sorting: negative when `left` is lower, positive
 * when higher, 0 when equal (build metadata is ignored). Invalid versions sort lowest.
 *
 * @example
 * ```ts
 * ["1.10.0", "1.2.0", "1.2.0-rc.1"].sort(compareSemver); // ["1.2.0-rc.1", "1.2.0", "1.10.0"]
 * ```
 */
export function compareSemver(left: string, right: string): number {
  const order = compareVersions(left, right);
  if (order !== undefined) return order;
  const leftValid = SEMVER.test(left);
  const rightValid = SEMVER.test(right);
  return leftValid ? 1 : rightValid ? -1 : 0;
}

/**
 * Whether `version` is a semver pre-release (`3.0.0-alpha.1`).
 *
 * @example
 * ```ts
 * isPrerelease("3.0.0-alpha.1"); // true
 * isPrerelease("3.0.0+build.7"); // false
 * ```
 */
export function isPrerelease(version: string): boolean {
  return SEMVER.exec(version)?.[4] !== undefined;
}

/**
 * The highest of `versions` by semver precedence, or `undefined` for an empty list. As
 * npm does for "latest", pre-releases are left out unless `includePrerelease` is set: a
 * `3.0.0-alpha.1` left beside `2.4.0` must not become what every create serves.
 */
export function highestVersion(
  versions: Iterable<string>,
  options: { includePrerelease?: boolean } = {},
): string | undefined {
  let highest: string | undefined;
  for (const version of versions) {
    if (options.includePrerelease !== true && isPrerelease(version)) continue;
    if (highest === undefined || compareSemver(version, highest) > 0) highest = version;
  }
  return highest;
}
