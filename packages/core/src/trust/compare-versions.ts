const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/**
 * @internal Compares two semantic versions by SemVer 2.0 precedence (build metadata
 * ignored). Returns a negative number, 0 or a positive number; undefined when either is
 * not a semantic version.
 */
export function compareVersions(left: string, right: string): number | undefined {
  const a = SEMVER.exec(left);
  const b = SEMVER.exec(right);
  if (a === null || b === null) return undefined;
  for (let index = 1; index <= 3; index++) {
    const difference = BigInt(a[index]!) - BigInt(b[index]!);
    if (difference !== 0n) return difference < 0n ? -1 : 1;
  }
  const preA = a[4]?.split(".");
  const preB = b[4]?.split(".");
  if (preA === undefined || preB === undefined) return preA === preB ? 0 : preA === undefined ? 1 : -1;
  for (let index = 0; index < Math.max(preA.length, preB.length); index++) {
    const x = preA[index];
    const y = preB[index];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const numericX = /^\d+$/.test(x);
    const numericY = /^\d+$/.test(y);
    if (numericX && numericY) {
      const difference = BigInt(x) - BigInt(y);
      if (difference !== 0n) return difference < 0n ? -1 : 1;
    } else if (numericX !== numericY) return numericX ? -1 : 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
