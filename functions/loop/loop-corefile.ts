// CoreDNS's `loop` directive: `loop`, no arguments and no block (plugin/loop setup).
import { directiveError, type Directive } from '../corefile/corefile.ts';

export function checkLoopDirective(d: Directive): void {
  if (d.args.length > 0) throw directiveError(d, `unexpected argument: ${d.args[0]}`);
  if (d.block) throw directiveError(d, 'takes no block');
}
