/**
 * The compare-and-set step of `redisStateStore`, run atomically by Redis: it writes the
 * new mark only when the stored one is still the one the caller decided against, so two
 * replicas can never both move a mark from the same starting point. The semver decision
 * itself stays in TypeScript (core's comparator), so there is one definition of "higher".
 *
 * KEYS[1] the hash of marks; ARGV[1] template id; ARGV[2] the expected raw value ("" for
 * none); ARGV[3] the new raw value. Returns 1 when written, else the stored raw value.
 * @internal
 */
export const COMPARE_AND_SET_MARK = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if (current == false and ARGV[2] == '') or current == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return 1
end
return current
`;

/** Upper bound of one stored mark, in characters: anything longer is corrupt, not parsed. @internal */
export const MAX_MARK_CHARS = 1_024;
