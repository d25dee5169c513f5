// CoreDNS's `loadbalance round_robin` on an encoded reply, so that answers from the answer cache
// (docs/architecture.md §6.9), which skip the chain, are shuffled too: each run of A records
// with one owner name in the answer section is put in a random order, likewise AAAA and MX runs.
// CNAMEs and other records keep their places, so a CNAME stays before the addresses it leads to,
// as CoreDNS keeps CNAMEs first. Runs on every UDP reply: no allocation on the A/AAAA path, every
// read bounds-checked, never throws; a malformed reply is left as it is from the first bad byte.
import { randomIndex, type Random } from './random-index.ts';
import { shuffleMxRun } from './shuffle-mx-run.ts';
import { sameName, skipName } from '../core/wire-name.ts';

const A = 1;
const AAAA = 28;
const MX = 15;
const IXFR = 251;
const AXFR = 252;

/**
 * Where each record of the current run starts its type field. Allocated once: a 65,535-byte
 * message holds at most 4,096 A records (16 bytes each with a pointer owner); a longer run is
 * shuffled in parts.
 */
const TAILS = new Int32Array(4096);

/** Shuffles `reply` in place (a NOERROR reply with at least two answers; others are left alone). */
export function shuffleWire(reply: Uint8Array, random: Random): void {
  const m = reply;
  if (m.length < 12 || (m[3]! & 0x0f) !== 0) return; // CoreDNS shuffles NOERROR replies only
  const questions = (m[4]! << 8) | m[5]!;
  const answers = (m[6]! << 8) | m[7]!;
  if (answers < 2) return;
  let at = 12;
  for (let i = 0; i < questions; i++) {
    at = skipName(m, at);
    if (at < 0 || at + 4 > m.length) return;
    const type = (m[at]! << 8) | m[at + 1]!;
    if (i === 0 && (type === AXFR || type === IXFR)) return; // as CoreDNS: zone transfers untouched
    at += 4;
  }
  // The run being collected: where its first record starts, its type, rdata length and size.
  let start = -1;
  let type = 0;
  let rdlength = -1;
  let count = 0;
  for (let i = 0; i <= answers; i++) {
    let end = -1; // where the record's owner ends
    let next = -1; // where the record ends
    let t = 0;
    if (i < answers) {
      end = skipName(m, at);
      if (end >= 0 && end + 10 <= m.length) {
        t = (m[end]! << 8) | m[end + 1]!;
        next = end + 10 + ((m[end + 8]! << 8) | m[end + 9]!);
        if (next > m.length) next = -1;
      }
    }
    const length = next - end - 10;
    const kind =
      next >= 0 && ((t === A && length === 4) || (t === AAAA && length === 16) || t === MX) ? t : 0;
    if (
      count > 0 &&
      count < TAILS.length &&
      kind === type &&
      (kind === MX || length === rdlength) &&
      sameName(m, start, at)
    ) {
      TAILS[count++] = end;
    } else {
      if (count > 1) {
        if (type === MX) shuffleMxRun(m, start, at, random);
        else shuffleTails(m, count, 10 + rdlength, random);
      }
      start = at;
      type = kind;
      rdlength = length;
      TAILS[0] = end;
      count = kind === 0 ? 0 : 1;
    }
    if (next < 0) return;
    at = next;
  }
}

/**
 * Fisher-Yates over the run's records, swapping what follows their owners (type, class, TTL,
 * rdata: `size` bytes, the same for all). The owners name the same name and stay where they are,
 * so no name moves and no compression pointer can break.
 */
function shuffleTails(m: Uint8Array, count: number, size: number, random: Random): void {
  for (let i = count - 1; i > 0; i--) {
    const j = randomIndex(random, i);
    if (j === i) continue;
    const a = TAILS[i]!;
    const b = TAILS[j]!;
    for (let k = 0; k < size; k++) {
      const byte = m[a + k]!;
      m[a + k] = m[b + k]!;
      m[b + k] = byte;
    }
  }
}
