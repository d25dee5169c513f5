// Go's quoted literals as text/template reads them (strconv.Unquote): "interpreted strings" with
// \a \b \f \n \r \t \v \\ \" \xHH \ooo \uHHHH \UHHHHHHHH escapes, `raw strings` (carriage
// returns dropped), and 'c'haracter constants of exactly one character.

const SIMPLE: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/**
 * The "string", `raw string` or 'c'haracter constant starting at `start` (its quote): its value
 * and the offset after it.
 */
export function unquote(
  text: string,
  start: number,
  fail: (pos: number, why: string) => never,
): { value: string; end: number } {
  const quote = text[start];
  let at = start + 1;
  let value = '';
  for (;;) {
    const c = text[at];
    if (c === undefined || (c === '\n' && quote !== '`'))
      return fail(
        start,
        quote === '`' ? 'unterminated raw quoted string' : 'unterminated quoted string',
      );
    if (c === quote) break;
    if (c === '\\' && quote !== '`') {
      const e = text[at + 1] ?? '';
      const code = /^x([0-9a-fA-F]{2})|^u([0-9a-fA-F]{4})|^U([0-9a-fA-F]{8})|^([0-7]{3})/.exec(
        text.slice(at + 1),
      );
      if (code) {
        const n = code[4] ? parseInt(code[4], 8) : parseInt(code[1] ?? code[2] ?? code[3]!, 16);
        value += String.fromCodePoint(n);
        at += 1 + code[0].length;
        continue;
      }
      if (!(e in SIMPLE) || (e === "'" && quote === '"') || (e === '"' && quote === "'"))
        return fail(at, `invalid syntax: unknown escape \\${e}`);
      value += SIMPLE[e];
      at += 2;
      continue;
    }
    value += c;
    at++;
  }
  if (quote === "'" && [...value].length !== 1) fail(start, 'malformed character constant');
  return { value: quote === '`' ? value.replace(/\r/g, '') : value, end: at + 1 };
}
