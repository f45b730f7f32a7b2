// Interleaved rounds: each round times a batch of the peer and a batch of ours, in alternating
// order, and the medians of the per-operation times are compared. On a shared machine this is
// far steadier than two back-to-back runs. Used by bench/trust.mjs and bench/interop.mjs.

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timeBatch(fn, batch) {
  const started = process.hrtime.bigint();
  for (let index = 0; index < batch; index++) await fn();
  return Number(process.hrtime.bigint() - started) / 1e3 / batch;
}

/**
 * Compares `ours` with `peer` (each `{ name, fn }`) over `rounds` interleaved rounds of `batch`
 * calls, after three warm-up rounds, and resolves to the row of the comparison.
 *
 * @returns {Promise<{ title: string, peer: string, peerMicros: number, ours: string, ourMicros: number, ratio: number }>}
 */
export async function compareInterleaved(title, peer, ours, { rounds = 31, batch = 200 } = {}) {
  const peerTimes = [];
  const ourTimes = [];
  for (let index = 0; index < 3; index++) {
    await timeBatch(peer.fn, batch);
    await timeBatch(ours.fn, batch);
  }
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [peer, ours] : [ours, peer];
    for (const side of order) (side === peer ? peerTimes : ourTimes).push(await timeBatch(side.fn, batch));
  }
  const peerMicros = median(peerTimes);
  const ourMicros = median(ourTimes);
  return { title, peer: peer.name, peerMicros, ours: ours.name, ourMicros, ratio: ourMicros / peerMicros };
}
