/**
 * X-GitHub-Delivery values as GitHub makes them: version-1 (time-based) UUIDs, such as
 * `72d3162e-cc78-11e3-81ab-4c9367dc0958` in GitHub's webhook docs and
 * `58474f00-b361-11eb-836d-0e4f3503ccbe` in its REST description of a hook delivery. Their first
 * field is the low 32 bits of the time in 100 ns steps, so deliveries minutes apart sort in the
 * order they were made (wrapping every ~7 minutes) and land side by side in an index of them;
 * random (version 4) ids land on a random page of it each. `BENCH_DELIVERY_IDS=random` sends those.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export type DeliveryGuidKind = 'time' | 'random';

// 100 ns steps from the Gregorian calendar's start (1582-10-15) to the Unix epoch.
const GREGORIAN_OFFSET = 0x01b21dd213814000n;

export function createDeliveryGuids(kind: DeliveryGuidKind): () => string {
  if (kind === 'random') return randomUUID;
  // One sender: its clock sequence and node stay, as a host's do.
  const clockSeq = (randomBytes(2).readUInt16BE(0) & 0x3fff) | 0x8000;
  const node = randomBytes(6).toString('hex');
  let last = 0n;
  return () => {
    let time = BigInt(Date.now()) * 10_000n + GREGORIAN_OFFSET;
    // Several in one millisecond count on in 100 ns steps, as RFC 4122 allows, never repeating.
    if (time <= last) time = last + 1n;
    last = time;
    const low = (time & 0xffffffffn).toString(16).padStart(8, '0');
    const mid = ((time >> 32n) & 0xffffn).toString(16).padStart(4, '0');
    const high = (((time >> 48n) & 0x0fffn) | 0x1000n).toString(16).padStart(4, '0');
    return `${low}-${mid}-${high}-${clockSeq.toString(16)}-${node}`;
  };
}

/** BENCH_DELIVERY_IDS: `time` (GitHub's kind, the default) or `random`. */
export function deliveryGuidKind(value: string | undefined): DeliveryGuidKind {
  if (value === undefined || value === '' || value === 'time') return 'time';
  if (value === 'random') return 'random';
  throw new Error(`BENCH_DELIVERY_IDS must be time or random, not ${value}`);
}
