// CoreDNS's `loadbalance` directive (docs/architecture.md §8.2: the Corefile is one way to write
// it): `loadbalance [round_robin | weighted WEIGHTFILE { reload DURATION }]`.
import { parseDuration } from '../../common/config/duration-text.ts';
import { directiveError, type Directive } from '../corefile/corefile.ts';

export type LoadbalanceConfig =
  | { policy: 'round_robin' }
  | {
      policy: 'weighted';
      /** As written. CoreDNS reads a relative path from `root` (which edge-dns lacks), else
       *  from the working directory. */
      weightFile: string;
      /** How often to read the file again, ms; 0: never (CoreDNS's default is 30s). */
      reloadMs: number;
    };

export function loadbalanceFromDirective(d: Directive): LoadbalanceConfig {
  const [policy, ...rest] = d.args;
  if (policy === undefined || policy === 'round_robin') {
    if (rest.length > 0) throw directiveError(d, `unknown property for round_robin: ${rest[0]}`);
    const option = d.block?.[0];
    if (option) throw blockError(option, 'round_robin');
    return { policy: 'round_robin' };
  }
  if (policy !== 'weighted')
    throw directiveError(d, `unknown policy: ${policy} (expected round_robin or weighted)`);
  const [weightFile, extra] = rest;
  if (weightFile === undefined) throw directiveError(d, 'missing weight file argument');
  if (extra !== undefined) throw directiveError(d, `unexpected argument: ${extra}`);
  let reloadMs = 30_000;
  for (const o of d.block ?? []) {
    if (o.name !== 'reload') throw blockError(o, 'weighted');
    const [duration, more] = o.args;
    if (duration === undefined) throw at(o, 'reload duration value is missing');
    if (more !== undefined) throw at(o, `unexpected argument: ${more}`);
    try {
      reloadMs = parseDuration(duration, 'reject');
    } catch {
      throw at(o, `invalid reload duration '${duration}': expected a duration such as 10s or 1m`);
    }
  }
  return { policy: 'weighted', weightFile, reloadMs };
}

const at = (o: Directive, reason: string) =>
  directiveError({ file: o.file, line: o.line, name: 'loadbalance' }, reason);

function blockError(o: Directive, policy: string) {
  if (o.name === 'prefer')
    return at(o, 'prefer is not supported by edge-dns (subnet ordering of addresses)');
  return at(o, `unknown property '${o.name}' for ${policy}`);
}
