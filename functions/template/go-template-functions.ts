// The functions a CoreDNS template may call: text/template's built-ins (`and` and `or` are the
// evaluator's, as they stop at the first decisive argument), CoreDNS's `parseInt`
// (strconv.ParseUint), and edge-dns's `env` (a variable of an environment the entry passes in;
// CoreDNS has no such function, its Corefile substitutes `{$NAME}` instead). A function's error
// becomes the template's execution error: "error calling NAME: ...".
import { sprintf } from './go-printf.ts';
import { formatValue, truth, typeOf, type GoValue } from './go-value.ts';

export type GoFunction = (args: GoValue[]) => GoValue;

/** Names the parser accepts: these, and the evaluator's `and` and `or`. */
export const FUNCTION_NAMES = new Set([
  'and',
  'or',
  'not',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'index',
  'len',
  'print',
  'printf',
  'println',
  'parseInt',
  'env',
]);

const arity = (name: string, args: GoValue[], want: number) => {
  if (args.length !== want)
    throw new Error(`wrong number of args for ${name}: want ${want} got ${args.length}`);
};

const basic = (v: GoValue): string => {
  if (typeof v === 'string' || typeof v === 'bigint' || typeof v === 'boolean') return typeof v;
  if (typeof v === 'number') return 'float';
  throw new Error('invalid type for comparison');
};

/** Go's eq: arg1 equals any of the others; values of different kinds are an error. */
function eq(args: GoValue[]): boolean {
  if (args.length < 2) throw new Error('missing argument for comparison');
  const [first, ...rest] = args;
  const k = basic(first);
  return rest.some((v) => {
    if (basic(v) !== k) throw new Error('incompatible types for comparison');
    return v === first;
  });
}

function less(args: GoValue[]): boolean {
  arity('lt', args, 2);
  const [a, b] = args as [GoValue, GoValue];
  const k = basic(a);
  if (k === 'boolean') throw new Error('invalid type for comparison');
  if (basic(b) !== k) throw new Error('incompatible types for comparison');
  return (a as string | bigint | number) < (b as string | bigint | number);
}

function index(args: GoValue[]): GoValue {
  if (args.length === 0) throw new Error('wrong number of args for index: want at least 1 got 0');
  let item = args[0];
  for (const key of args.slice(1)) {
    if (item === null || item === undefined) throw new Error('index of untyped nil');
    if (Array.isArray(item) || typeof item === 'string') {
      if (typeof key !== 'bigint')
        throw new Error(`cannot index slice/array with type ${typeOf(key)}`);
      const length = typeof item === 'string' ? new TextEncoder().encode(item).length : item.length;
      if (key < 0n || key >= BigInt(length)) throw new Error(`index out of range: ${key}`);
      item =
        typeof item === 'string'
          ? BigInt(new TextEncoder().encode(item)[Number(key)]!)
          : (item as GoValue[])[Number(key)];
    } else if (item instanceof Map) {
      if (typeof key !== 'string')
        throw new Error(`value has type ${typeOf(key)}; should be string`);
      item = item.get(key) ?? ''; // a missing key: the element type's zero value
    } else throw new Error(`can't index item of type ${typeOf(item)}`);
  }
  return item;
}

function len(args: GoValue[]): GoValue {
  arity('len', args, 1);
  const v = args[0];
  if (typeof v === 'string') return BigInt(new TextEncoder().encode(v).length);
  if (Array.isArray(v)) return BigInt(v.length);
  if (v instanceof Map) return BigInt(v.size);
  throw new Error(`len of type ${typeOf(v)}`);
}

/** fmt.Sprint: a space between operands when neither side is a string. */
function print(args: GoValue[]): string {
  let out = '';
  args.forEach((v, i) => {
    if (i > 0 && typeof v !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(v === undefined ? null : v);
  });
  return out;
}

/** strconv.ParseUint(s, base, bitSize), its errors worded as Go's. */
export function parseUint(s: GoValue, base: GoValue, bitSize: GoValue): bigint {
  if (typeof s !== 'string')
    throw new Error(`wrong type for value; expected string; got ${typeOf(s)}`);
  if (typeof base !== 'bigint' || typeof bitSize !== 'bigint')
    throw new Error(
      `wrong type for value; expected int; got ${typeOf(typeof base !== 'bigint' ? base : bitSize)}`,
    );
  const fail = (why: string) =>
    new Error(`strconv.ParseUint: parsing ${JSON.stringify(s)}: ${why}`);
  if (s === '') throw fail('invalid syntax');
  let b = Number(base);
  let digits = s;
  if (b === 0) {
    const prefix = /^0([xXbBoO])?/.exec(s);
    b = prefix ? ({ x: 16, b: 2, o: 8 }[prefix[1]?.toLowerCase() as 'x' | 'b' | 'o'] ?? 8) : 10;
    digits = prefix?.[1] ? s.slice(2) : s;
    if (/^_|__|_$/.test(digits) && b === 10) throw fail('invalid syntax');
    digits = digits.replace(/_/g, '');
  } else if (b < 2 || b > 36) throw fail(`invalid base ${b}`);
  const bits = bitSize === 0n ? 64 : Number(bitSize);
  if (bits < 0 || bits > 64) throw fail(`invalid bit size ${bits}`);
  if (digits === '') throw fail('invalid syntax');
  let n = 0n;
  for (const ch of digits.toLowerCase()) {
    const d = parseInt(ch, 36);
    if (Number.isNaN(d) || d >= b) throw fail('invalid syntax');
    n = n * BigInt(b) + BigInt(d);
  }
  if (n >= 1n << BigInt(bits)) throw fail('value out of range');
  return n;
}

/** The functions other than `and` and `or`, with `env` reading `environment`. */
export function goFunctions(
  environment: Readonly<Record<string, string>> = {},
): Record<string, GoFunction> {
  return {
    not: (a) => (arity('not', a, 1), !truth(a[0])),
    eq: (a) => eq(a),
    ne: (a) => (arity('ne', a, 2), !eq(a)),
    lt: (a) => less(a),
    le: (a) => (arity('le', a, 2), less(a) || eq(a)),
    gt: (a) => (arity('gt', a, 2), !less(a) && !eq(a)),
    ge: (a) => (arity('ge', a, 2), !less(a)),
    index,
    len,
    print,
    println: (a) => `${a.map((v) => formatValue(v === undefined ? null : v)).join(' ')}\n`,
    printf: (a) => {
      const [format, ...rest] = a;
      if (typeof format !== 'string')
        throw new Error(`wrong type for value; expected string; got ${typeOf(format)}`);
      return sprintf(
        format,
        rest.map((v) => (v === undefined ? null : v)),
      );
    },
    parseInt: (a) => (arity('parseInt', a, 3), parseUint(a[0], a[1], a[2])),
    env: (a) => {
      arity('env', a, 1);
      if (typeof a[0] !== 'string')
        throw new Error(`wrong type for value; expected string; got ${typeOf(a[0])}`);
      return Object.hasOwn(environment, a[0]) ? environment[a[0]]! : '';
    },
  };
}
