// `rewrite [continue|stop] type FROM TO` and `class FROM TO`: the question's type or class, as
// CoreDNS's rewrite plugin changes them (its docs, "type" and "class" fields). Nothing is undone
// in the response: the client's question is echoed, the records are those of the new type.
import * as dnsPacket from 'dns-packet';
import { typeNumber } from '../doh/record-types.ts';
import { RuleError, type Mode, type RewriteRule } from './rewrite-rule.ts';

/** Classes by mnemonic (RFC 1035 §3.2.4, RFC 2136 §1.3 NONE). */
const CLASSES: Readonly<Record<string, number>> = {
  IN: 1,
  CS: 2,
  CH: 3,
  HS: 4,
  NONE: 254,
  ANY: 255,
};

export function typeRule(mode: Mode, from: string, to: string, at: number): RewriteRule {
  const [f, t] = [typeNumber(from), typeNumber(to)];
  if (f === undefined)
    throw new RuleError(`invalid type ${JSON.stringify(from.toUpperCase())}`, at);
  if (t === undefined)
    throw new RuleError(`invalid type ${JSON.stringify(to.toUpperCase())}`, at + 1);
  const spelled = packetType(t);
  return {
    mode,
    rewrite(q) {
      if (typeNumber(q.type) !== f) return undefined;
      q.type = spelled;
      return [];
    },
  };
}

export function classRule(mode: Mode, from: string, to: string, at: number): RewriteRule {
  const [f, t] = [classNumber(from), classNumber(to)];
  if (f === undefined)
    throw new RuleError(`invalid class ${JSON.stringify(from.toUpperCase())}`, at);
  if (t === undefined)
    throw new RuleError(`invalid class ${JSON.stringify(to.toUpperCase())}`, at + 1);
  const spelled = t === 254 ? 'UNKNOWN_254' : to.toUpperCase(); // dns-packet has no name for NONE
  return {
    mode,
    rewrite(q) {
      if (classNumber(q.class) !== f) return undefined;
      q.class = spelled;
      return [];
    },
  };
}

function classNumber(text: string): number | undefined {
  const upper = text.toUpperCase();
  if (Object.hasOwn(CLASSES, upper)) return CLASSES[upper];
  return upper === 'UNKNOWN_254' ? 254 : undefined;
}

/**
 * A type number as dns-packet spells it in a decoded question ('A', 'UNKNOWN_65'), which is how
 * the chain spells types: read back from a question dns-packet wrote with that number.
 */
function packetType(type: number): string {
  const wire = dnsPacket.encode({
    questions: [{ name: '.', type: `UNKNOWN_${type}` as 'A', class: 'IN' }],
  });
  return dnsPacket.decode(wire).questions?.[0]?.type ?? `UNKNOWN_${type}`;
}
