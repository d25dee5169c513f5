// Environment references in Corefile words, as CoreDNS's caddyfile parser replaces them: first
// every `{%NAME%}`, then every `{$NAME}`, anywhere in a word (quoted or not); an unset variable
// becomes the empty string. An empty reference (`{$}`, `{%%}`) stops that kind's replacement in
// the word, as CoreDNS's does. Unlike CoreDNS, a value is not searched again for references, so a
// variable whose value names itself cannot loop.

export type Env = Readonly<Record<string, string | undefined>>;

export function substituteEnv(word: string, env: Env): string {
  if (!word.includes('{')) return word;
  return replaceReferences(replaceReferences(word, '{%', '%}', env), '{$', '}', env);
}

function replaceReferences(word: string, start: string, end: string, env: Env): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = word.indexOf(start, from);
    if (open < 0) break;
    // CoreDNS looks for the end from the reference's first character, so `{%}` is empty too.
    const close = word.indexOf(end, open);
    if (close < 0 || close <= open + start.length) break;
    const name = word.slice(open + start.length, close);
    out += word.slice(from, open) + (Object.hasOwn(env, name) ? (env[name] ?? '') : '');
    from = close + end.length;
  }
  return out + word.slice(from);
}
