// CoreDNS's `forward` as the last plugin of a server block's chain (docs/architecture.md §6.12):
// the names its FROM zones cover go upstream; the others go on (to the chain's end: SERVFAIL).
import { echoCase } from './answer.ts';
import type { Forwarder } from './forwarder.ts';
import type { Plugin } from './plugin.ts';
import { canonicalName } from './record.ts';

export function forwardPlugin(forwarder: () => Forwarder | undefined): Plugin {
  return async (q, next) => {
    const forward = forwarder();
    const name = canonicalName(q.name);
    if (!forward?.handles(name)) return next(q);
    return echoCase(
      await forward.forward({ name, type: q.type, class: 'IN' }, q.flags),
      name,
      q.name,
    );
  };
}
