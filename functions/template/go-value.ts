// Values as Go's text/template sees them, for CoreDNS's template data: strings, integers (bigint:
// Go's int and uint64 both), float64 (number), bool, nil (null), "no value" (undefined: a missing
// map key, which prints as <no value>), slices, maps with string keys, and structs (GoStruct:
// fields, methods, and a String() text when Go's type has one).

export type GoValue =
  | string
  | bigint
  | number
  | boolean
  | null
  | undefined
  | readonly GoValue[]
  | ReadonlyMap<string, GoValue>
  | GoStruct;

export class GoStruct {
  constructor(
    readonly typeName: string,
    readonly fields: Readonly<Record<string, GoValue>>,
    readonly methods: Readonly<Record<string, (...args: GoValue[]) => GoValue>> = {},
    /** What fmt prints for it (Go's String method), if anything. */
    readonly text?: string,
  ) {}
}

/** A Go type name for messages (`%!d(string=x)`, "wrong type for value"). */
export function typeOf(v: GoValue): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]string';
  if (v instanceof Map) return 'map[string]string';
  return (v as GoStruct).typeName;
}

/** Go's truth of a value (text/template `if`, `and`, `or`, `not`). */
export function truth(v: GoValue): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  return true;
}

/** Go's %v of a float64: shortest digits, an exponent below 1e-4 or from 1e21 on. */
export function formatFloat(f: number): string {
  if (!Number.isFinite(f)) return Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf';
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21)) {
    const [mantissa, exp] = f.toExponential().split('e') as [string, string];
    const sign = exp.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  return Object.is(f, -0) ? '-0' : String(f);
}

/** fmt's %v of a value, as text/template prints an action's result. */
export function formatValue(v: GoValue): string {
  if (v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return formatFloat(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(' ')}]`;
  if (v instanceof Map) {
    const keys = [...v.keys()].sort();
    return `map[${keys.map((k) => `${k}:${formatValue(v.get(k))}`).join(' ')}]`;
  }
  const s = v as GoStruct;
  return s.text ?? `{${Object.values(s.fields).map(formatValue).join(' ')}}`;
}
