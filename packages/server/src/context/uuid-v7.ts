import { randomUUID } from 'node:crypto';

/**
 * A time-ordered UUID (RFC 9562 version 7): 48-bit Unix milliseconds, then
 * random bits. Context ids are indexed in rowtrail.context and in every history table;
 * time-ordered ids land on the right-most index pages instead of random ones
 * (fewer pages touched and written per request, measured in bench/).
 *
 * The random bits are those of a version 4 UUID from randomUUID(), which draws from a
 * cached entropy pool (randomBytes(16) per id took 5 µs, most of the cost of a context):
 * its last 74 random bits and its variant become the v7 id's rand_a, variant and rand_b.
 */
export function uuidV7(now = Date.now()): string {
  const time = now.toString(16).padStart(12, '0');
  // randomUUID(): xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx; from index 15 on: xxx-Vxxx-xxxxxxxxxxxx
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
