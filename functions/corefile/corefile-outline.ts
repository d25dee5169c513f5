// A parsed Corefile as compact text, one line per server block and directive: what tests compare
// against (written as tables), and what `--validate` can print. Keys as CoreDNS prints them
// (`dns://cluster.local.:53`), directives indented under them, sub-directives under those; an
// empty block is `{}`; an argument that is empty or holds spaces or quotes is in JSON quotes.
import type { Corefile, Directive } from './corefile.ts';
import { keyText } from './server-key.ts';

/** With `positions`, each directive ends in `@FILE:LINE`. */
export function corefileOutline(corefile: Corefile, positions = false): string {
  const lines: string[] = [];
  const directive = (d: Directive, indent: string) => {
    const words = [d.name, ...d.args.map(word)];
    if (d.block?.length === 0) words.push('{}');
    if (positions) words.push(`@${d.file}:${d.line}`);
    lines.push(indent + words.join(' '));
    for (const sub of d.block ?? []) directive(sub, `${indent}  `);
  };
  for (const server of corefile.servers) {
    lines.push(server.keys.map(keyText).join(' '));
    for (const d of server.directives) directive(d, '  ');
  }
  return lines.join('\n');
}

const word = (w: string) => (w === '' || /[\s"]/.test(w) ? JSON.stringify(w) : w);
