/**
 * A seeded random generator for property and fuzz tests (mulberry32: small, fast, the same
 * sequence on every run), so a failing case can be replayed from its seed.
 */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** A whole number from 0 to n - 1. */
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  /** Up to `max` items of `alphabet`, joined. */
  const text = (alphabet: readonly string[], max: number): string =>
    Array.from({ length: int(max + 1) }, () => pick(alphabet)).join('');
  return { next, int, pick, text };
}
