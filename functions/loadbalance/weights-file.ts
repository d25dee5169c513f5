// The weight file of `loadbalance weighted` (CoreDNS 1.11+): a domain name on a line of its own,
// then `ADDRESS WEIGHT` lines for it (weights 1 to 255); blank lines and `#` comment lines are
// skipped. Parsing is pure, text in; reading and reloading the file are the entry's.
import { parseIp } from '../core/ip.ts';
import { canonicalName } from '../core/record.ts';

/** Weights by owner name (canonical) and address (canonical text, core/ip.ts). */
export type Weights = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** A problem in a weight file, at its line. */
export class WeightFileError extends Error {
  override name = 'WeightFileError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}

export function parseWeights(text: string, file: string): Weights {
  const domains = new Map<string, Map<string, number>>();
  let current: Map<string, number> | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fail = (reason: string) => new WeightFileError(file, i + 1, reason);
    const fields = line.split(/\s+/);
    if (fields.length === 1) {
      const name = fields[0]!;
      if (parseIp(name))
        throw fail(`expected a domain name, got the address '${name}' (a missing weight?)`);
      const key = canonicalName(name);
      current = domains.get(key) ?? new Map<string, number>();
      domains.set(key, current);
    } else if (fields.length === 2) {
      const [address, weight] = fields as [string, string];
      const ip = parseIp(address);
      if (!ip) throw fail(`expected an IP address, got '${address}'`);
      if (!/^\d{1,3}$/.test(weight) || Number(weight) < 1 || Number(weight) > 255)
        throw fail(`expected a weight from 1 to 255, got '${weight}'`);
      if (!current) throw fail('expected a domain name before the first address');
      // CoreDNS uses the first weight given for an address.
      if (!current.has(ip.text)) current.set(ip.text, Number(weight));
    } else {
      throw fail(`expected a domain name or 'ADDRESS WEIGHT', got '${line}'`);
    }
  }
  return domains;
}
