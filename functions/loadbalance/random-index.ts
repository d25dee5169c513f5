// Randomness comes in as a function (the core and the edge read no randomness source of their
// own: docs/architecture.md §4), so tests can fix it.

/** `random()` in [0, 1), as Math.random. */
export type Random = () => number;

/** A whole number in [0, i], whatever `random` returns (NaN, 1, negatives included). */
export function randomIndex(random: Random, i: number): number {
  const j = Math.floor(random() * (i + 1));
  return j >= 0 && j <= i ? j : i;
}
