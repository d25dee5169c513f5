// The hosts(5) format as CoreDNS's `hosts` plugin reads it: `IP name [aliases...]` a line, `#` to
// the end of a line a comment, an IPv6 zone suffix (`fe80::1%lo0`) dropped, and every line it
// cannot use skipped (CoreDNS skips them silently; here they are returned, so the caller may log).
import { parseIp, type Ip } from '../../functions/core/ip.ts';

/** One usable line: its address and the names written after it (canonical, in line order). */
export interface HostsEntry {
  address: Ip;
  names: string[];
  /** 1-based line number in the text parsed. */
  line: number;
}

/** A line, or a name on a line, left out, and why. */
export interface HostsSkip {
  line: number;
  text: string;
  reason: string;
}

export interface HostsLines {
  entries: HostsEntry[];
  skipped: HostsSkip[];
}

/** Go's net.ParseIP after CoreDNS drops an IPv6 zone (`%lo0`). */
export function parseHostsAddress(text: string): Ip | undefined {
  const zone = text.indexOf('%');
  return parseIp(zone >= 0 ? text.slice(0, zone) : text);
}

/**
 * Why `name` cannot be an owner name (RFC 1035 §2.3.4: labels of 1..63 octets, 255 octets in all
 * on the wire), or undefined. CoreDNS keeps such names and fails when it packs the answer; they
 * are dropped here instead, so the rest of the line still answers.
 */
export function hostsNameProblem(name: string): string | undefined {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare === '') return 'the root is not a host name';
  if (bare.includes('\\')) return 'escapes are not supported in host names';
  const labels = bare.split('.');
  if (labels.some((l) => l.length === 0)) return 'an empty label';
  if (labels.some((l) => new TextEncoder().encode(l).length > 63)) return 'a label over 63 octets';
  if (new TextEncoder().encode(bare).length + 2 > 255) return 'a name over 255 octets';
  return undefined;
}

/** A host name as CoreDNS keys it (plugin.Name.Normalize: lowercased), without the final dot. */
export function canonicalHostName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** Every line of a hosts file (or of inline entries joined by newlines). */
export function parseHostsLines(text: string): HostsLines {
  const entries: HostsEntry[] = [];
  const skipped: HostsSkip[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const hash = raw.indexOf('#');
    const fields = (hash >= 0 ? raw.slice(0, hash) : raw).split(/\s+/).filter((f) => f !== '');
    const line = i + 1;
    if (fields.length === 0) continue;
    const skip = (reason: string) => skipped.push({ line, text: raw.trim(), reason });
    if (fields.length < 2) {
      skip('expected an address and at least one name');
      continue;
    }
    const address = parseHostsAddress(fields[0] ?? '');
    if (!address) {
      skip(`"${fields[0]}" is not an IP address`);
      continue;
    }
    const names: string[] = [];
    for (const name of fields.slice(1)) {
      const problem = hostsNameProblem(name);
      if (problem) skip(`name "${name}": ${problem}`);
      else names.push(canonicalHostName(name));
    }
    if (names.length > 0) entries.push({ address, names, line });
  }
  return { entries, skipped };
}
