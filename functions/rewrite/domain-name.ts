// Names as CoreDNS's rewrite rules handle them: lowercase and fully qualified, with the checks
// miekg/dns applies to a rewritten question (RFC 1035 §2.3.4 sizes).

/** `name` with exactly one unescaped trailing dot; the root is '.'. */
export function fqdn(name: string): string {
  if (name === '' || name === '.') return '.';
  return isFqdn(name) ? name : `${name}.`;
}

/** CoreDNS's plugin.Name(s).Normalize(): lowercase, fully qualified. */
export const normalizeName = (name: string): string => fqdn(name.toLowerCase());

/** A fully qualified name as the chain spells names: no trailing dot, the root ''. */
export const bareName = (name: string): string => (name === '.' ? '' : name.slice(0, -1));

/** Whether the last dot is a label separator (not `\.`, an escaped dot inside a label). */
function isFqdn(name: string): boolean {
  if (!name.endsWith('.')) return false;
  let slashes = 0;
  for (let i = name.length - 2; i >= 0 && name[i] === '\\'; i--) slashes++;
  return slashes % 2 === 0;
}

/**
 * Whether `name` (presentation format, `\.` and `\DDD` escapes allowed) is a valid domain name:
 * no empty label but the root, labels of at most 63 octets, at most 255 octets on the wire.
 */
export function isDomainName(name: string): boolean {
  if (name === '.') return true;
  if (name === '') return false;
  let wire = 1; // the root label
  let label = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === '.') {
      if (label === 0) return false;
      wire += 1 + label;
      label = 0;
      continue;
    }
    if (c === '\\') i += /^\d{3}$/.test(name.slice(i + 1, i + 4)) ? 3 : 1;
    if (++label > 63) return false;
  }
  if (label > 0) wire += 1 + label;
  return wire <= 255;
}
