// SVCB and HTTPS RDATA (RFC 9460 §2.1, Appendix A) to wire bytes: dns-packet 5.6 has neither
// type, so the record keeps its RDATA as bytes. `SvcPriority TargetName key=value...`, the keys
// of §14.3.2 (mandatory, alpn, no-default-alpn, port, ipv4hint, ech, ipv6hint) or `keyNNNNN`.
import { ipv4Bytes, ipv6Bytes } from '../../functions/core/ip.ts';
import { tokenBytes, unsigned } from './character-string.ts';
import { domainName, nameWire } from './domain-name.ts';
import type { RdataInput } from './rdata.ts';
import { fail } from './zone-file-error.ts';

const KEYS = ['mandatory', 'alpn', 'no-default-alpn', 'port', 'ipv4hint', 'ech', 'ipv6hint'];

/** The key number of a SvcParamKey's name (§2.1), or undefined. */
export function svcParamKey(name: string): number | undefined {
  const known = KEYS.indexOf(name);
  if (known >= 0) return known;
  const generic = /^key(\d{1,5})$/.exec(name);
  const n = generic ? Number(generic[1]) : NaN;
  return n <= 65535 ? n : undefined;
}

export function svcbRdata(input: RdataInput): Buffer {
  const { tokens, file } = input;
  const kind = input.type.mnemonic;
  if (tokens.length < 2)
    fail({ file, line: input.line }, `${kind}: expected SvcPriority TargetName [SvcParams...]`);
  const priority = unsigned(tokens[0]!, file, `${kind} SvcPriority`, 16);
  const target = domainName(tokens[1]!, input.origin, file, `${kind} TargetName`);
  const params = new Map<number, number[]>();
  for (const token of tokens.slice(2)) {
    const bad = (reason: string): never => fail({ file, line: token.line }, `${kind}: ${reason}`);
    const eq = token.raw.indexOf('=');
    const name = eq < 0 ? token.raw : token.raw.slice(0, eq);
    const key = svcParamKey(name);
    if (key === undefined) bad(`unknown SvcParamKey '${name}'`);
    if (params.has(key!)) bad(`SvcParamKey '${name}' appears twice`);
    const text =
      eq < 0
        ? undefined
        : Buffer.from(tokenBytes({ raw: token.raw.slice(eq + 1), line: token.line }, file, kind));
    params.set(key!, paramValue(key!, name, text, bad));
  }
  checkMandatory(params, (reason) => fail({ file, line: input.line }, `${kind}: ${reason}`));
  const out = [priority >> 8, priority & 0xff, ...nameWire(target)];
  for (const key of [...params.keys()].sort((a, b) => a - b)) {
    const value = params.get(key)!;
    out.push(key >> 8, key & 0xff, value.length >> 8, value.length & 0xff, ...value);
  }
  if (out.length > 65535) fail({ file, line: input.line }, `${kind}: RDATA over 65535 bytes`);
  return Buffer.from(out);
}

/** One SvcParamValue in wire form (§7, §14.3.2). */
function paramValue(
  key: number,
  name: string,
  text: Buffer | undefined,
  bad: (reason: string) => never,
): number[] {
  if (key === 2) {
    if (text && text.length > 0) bad('no-default-alpn takes no value');
    return [];
  }
  if (text === undefined || (text.length === 0 && key <= 6))
    return bad(`SvcParamKey '${name}' needs a value`);
  const list = () => commaList(text);
  switch (key) {
    case 0: {
      // §8: the keys in strictly increasing order.
      const keys = list().map((k) => {
        const n = svcParamKey(k.toString('latin1'));
        if (n === undefined) bad(`mandatory: unknown key '${k.toString('latin1')}'`);
        return n!;
      });
      const sorted = [...new Set(keys)].sort((a, b) => a - b);
      if (sorted.length !== keys.length) bad('mandatory lists a key twice');
      return sorted.flatMap((n) => [n >> 8, n & 0xff]);
    }
    case 1:
      return list().flatMap((id) => {
        if (id.length === 0 || id.length > 255) bad('alpn: each id is 1 to 255 bytes');
        return [id.length, ...id];
      });
    case 3: {
      const port = text.toString('latin1');
      if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) bad(`port: '${port}' is not a port`);
      return [Number(port) >> 8, Number(port) & 0xff];
    }
    case 4:
    case 6:
      return list().flatMap((a) => {
        const ip = key === 4 ? ipv4Bytes(a.toString('latin1')) : ipv6Bytes(a.toString('latin1'));
        if (!ip)
          bad(`${name}: '${a.toString('latin1')}' is not an IPv${key === 4 ? 4 : 6} address`);
        return ip!;
      });
    case 5: {
      const b64 = text.toString('latin1');
      if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(b64))
        bad('ech: expected base64');
      return [...Buffer.from(b64, 'base64')];
    }
    default:
      return [...text];
  }
}

/** A value-list (Appendix A.1): items split at commas, `\,` and `\\` escaping them. */
function commaList(text: Buffer): Buffer[] {
  const items: number[][] = [[]];
  for (let i = 0; i < text.length; i++) {
    const b = text[i]!;
    if (b === 0x5c && i + 1 < text.length) items[items.length - 1]!.push(text[++i]!);
    else if (b === 0x2c) items.push([]);
    else items[items.length - 1]!.push(b);
  }
  return items.map((item) => Buffer.from(item));
}

/** §8: `mandatory` lists keys that are present, never itself. */
function checkMandatory(params: Map<number, number[]>, bad: (reason: string) => never): void {
  const value = params.get(0);
  if (!value) return;
  for (let i = 0; i < value.length; i += 2) {
    const key = (value[i]! << 8) | value[i + 1]!;
    if (key === 0) bad('mandatory lists itself');
    if (!params.has(key)) bad(`mandatory lists key${key}, which is absent`);
  }
}
