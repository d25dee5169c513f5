// CoreDNS's `any` directive: `any`, no arguments and no block (plugin/any setup).
import { directiveError, type Directive } from '../corefile/corefile.ts';
import type { Plugin } from '../core/plugin.ts';
import { anyPlugin } from './any-plugin.ts';

export function anyFromDirective(d: Directive): Plugin {
  if (d.args.length > 0) throw directiveError(d, `unexpected argument: ${d.args[0]}`);
  if (d.block) throw directiveError(d, 'takes no block');
  return anyPlugin();
}
