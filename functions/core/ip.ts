// IP address literals without node:net (the core and the builder are pure). Parsing follows Go's
// net.ParseIP, families Go's net.IP.To4 (CoreDNS msg.Service.HostType): an IPv4-mapped IPv6
// address is IPv4. Used by the builder (owner names, rdata), the resolver (dashed-IP labels,
// glue) and the message writer (rdata bytes).

export interface Ip {
  family: 4 | 6;
  /** 4 or 16 bytes. */
  bytes: number[];
  /** Canonical text: dotted quad, or RFC 5952 §4 for IPv6 (lowercase, longest zero run as ::). */
  text: string;
}

export function ipv4Bytes(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    // Go's ParseIP rejects leading zeros ("010") since Go 1.17.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

export function ipv6Bytes(s: string): number[] | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  let tail: number[] = [];
  let head = s;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    const v4 = ipv4Bytes(s.slice(lastColon + 1));
    if (!v4 || lastColon < 0) return undefined;
    tail = v4;
    head = s.slice(0, lastColon + 1) + '0:0'; // placeholder groups, replaced below
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = groups(halves[0] ?? '');
  const right = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!left || !right) return undefined;
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const words = [
    ...left,
    ...new Array<number>(halves.length === 2 ? missing : 0).fill(0),
    ...right,
  ];
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** The RFC 5952 §4 text of the 16 bytes at `at` of `bytes`. */
export function formatV6(bytes: ArrayLike<number>, at = 0): string {
  const words: number[] = [];
  for (let i = at; i < at + 16; i += 2) words.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  // RFC 5952 §4.2: compress the longest run (≥ 2) of zero groups, the first one on a tie.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** Parses an IP literal as Go's net.ParseIP does; undefined for anything else ("None", "", names). */
export function parseIp(s: string): Ip | undefined {
  const v4 = ipv4Bytes(s);
  if (v4) return { family: 4, bytes: v4, text: v4.join('.') };
  const v6 = ipv6Bytes(s);
  if (!v6) return undefined;
  const mapped = v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
  if (mapped) {
    const b = v6.slice(12);
    return { family: 4, bytes: b, text: b.join('.') };
  }
  return { family: 6, bytes: v6, text: formatV6(v6) };
}
