// CoreDNS's `acl` directive (plugin/acl/setup.go): `acl [ZONES...] { ACTION [type QTYPE...]
// [net SOURCE...] }`, ACTION allow, block, filter or drop; `*` any type or any source; no `type`
// section means every type and no `net` section every source. One directive is one rule; a block
// with several keeps them in the order written.
import { directiveError, type Directive } from '../corefile/corefile.ts';
import { zonesFromArgs } from '../corefile/zone-args.ts';
import { parseNetwork, type IpNetwork } from '../core/ip-network.ts';
import { typeNumber } from '../doh/record-types.ts';
import type { AclAction, AclPolicy, AclRule } from './acl-rules.ts';

const ACTIONS: readonly string[] = ['allow', 'block', 'filter', 'drop'];
const SECTIONS = new Set(['type', 'net']);

export function aclFromDirective(d: Directive, blockZones: readonly string[]): AclRule {
  const zones = zonesFromArgs(d, d.args, blockZones);
  const policies = (d.block ?? []).map(policyFrom);
  if (policies.length === 0)
    throw directiveError(d, 'no policy: expected a block of allow, block, filter or drop lines');
  return { zones, policies };
}

function policyFrom(o: Directive): AclPolicy {
  const at = (reason: string) =>
    directiveError({ file: o.file, line: o.line, name: 'acl' }, reason);
  const action = o.name.toLowerCase();
  if (!ACTIONS.includes(action))
    throw at(`unexpected token "${o.name}"; expect 'allow', 'block', 'filter' or 'drop'`);
  let types: Set<number> | 'all' | undefined;
  let nets: IpNetwork[] | 'all' | undefined;
  const args = o.args;
  for (let i = 0; i < args.length;) {
    const section = args[i]!.toLowerCase();
    if (!SECTIONS.has(section)) throw at(`unexpected token "${args[i]}"; expect 'type' or 'net'`);
    const tokens: string[] = [];
    for (i++; i < args.length && !SECTIONS.has(args[i]!.toLowerCase()); i++) tokens.push(args[i]!);
    if (tokens.length === 0) throw at(`no token specified in "${section}" section`);
    if (section === 'type') {
      if (tokens.includes('*')) types = 'all';
      else if (types !== 'all') {
        types ??= new Set();
        for (const t of tokens) {
          const n = typeNumber(t);
          if (n === undefined) throw at(`unexpected token "${t}"; expect legal QTYPE`);
          types.add(n);
        }
      }
    } else if (tokens.includes('*')) nets = 'all';
    else if (nets !== 'all') {
      nets ??= [];
      for (const t of tokens) {
        const n = parseNetwork(t);
        if (!n) throw at(`illegal CIDR notation "${t}"`);
        nets.push(n);
      }
    }
  }
  return { action: action as AclAction, types: types ?? 'all', nets: nets ?? 'all' };
}
