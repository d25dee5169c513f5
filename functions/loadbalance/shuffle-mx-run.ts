// A run of MX records with one owner, shuffled in an encoded reply. MX rdata holds a name that
// may be compressed (RFC 1035 §3.3.9, §4.1.4) and records differ in length, so moving them moves
// names: a pointer into a moved name would then point at other bytes. Decoding and re-encoding
// the whole reply would avoid that, but could change its size (so its truncation) and costs a
// decode per reply. Instead the run is moved only when no pointer can be affected: every name in
// it is labels and pointers to before the run, and no two bytes outside the run could be a
// pointer into it (conservative: a false alarm leaves the run in order). Pointers before the run
// stay valid wherever the records move. MX answers are rare (edge-dns serves none of its own), so
// this path may allocate.
import { randomIndex, type Random } from './random-index.ts';
import { namePointsBefore, pointsInto, skipName } from '../core/wire-name.ts';

/** Shuffles the MX records laid end to end in [start, end) of `m` (already walked once). */
export function shuffleMxRun(m: Uint8Array, start: number, end: number, random: Random): void {
  const offsets: number[] = [];
  for (let at = start; at < end;) {
    const owner = skipName(m, at);
    if (owner < 0 || !namePointsBefore(m, at, owner, start)) return;
    const rdata = owner + 10;
    const next = rdata + ((m[rdata - 2]! << 8) | m[rdata - 1]!);
    if (next > end || next - rdata < 3 || !namePointsBefore(m, rdata + 2, next, start)) return;
    offsets.push(at);
    at = next;
  }
  if (pointsInto(m, start, end)) return;
  const run = new Uint8Array(end - start);
  run.set(m.subarray(start, end)); // a copy (Buffer's slice would be a view)
  const order = offsets.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = randomIndex(random, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let at = start;
  for (const i of order) {
    const from = offsets[i]! - start;
    const to = (offsets[i + 1] ?? end) - start;
    m.set(run.subarray(from, to), at);
    at += to - from;
  }
}
