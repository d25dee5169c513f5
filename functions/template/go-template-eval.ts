// The tree-walk evaluator of Go's text/template over a parsed template (go-template-parser.ts):
// fields of structs and keys of maps (a missing key is "no value"), method calls (`.Meta "x"`),
// function calls with the pipeline's value as last argument, `and`/`or` stopping at the first
// decisive argument, `if`/`else`. Errors are worded as Go's: `template: NAME:LINE:COL:
// executing "NAME" at <NODE>: WHY`.
import { where } from './go-template-lexer.ts';
import type { Command, Operand, ParsedTemplate, Pipe, TemplateNode } from './go-template-parser.ts';
import type { GoFunction } from './go-template-functions.ts';
import { formatValue, GoStruct, truth, typeOf, type GoValue } from './go-value.ts';

/** A template that failed while it ran (CoreDNS: SERVFAIL and coredns_template_template_failures_total). */
export class TemplateExecError extends Error {
  override name = 'TemplateExecError';
}

const NONE = Symbol('no final value');
type Final = GoValue | typeof NONE;

class Failure extends Error {
  constructor(
    readonly pos: number,
    readonly node: string,
    message: string,
  ) {
    super(message);
  }
}

export function execute(
  t: ParsedTemplate,
  data: GoValue,
  functions: Readonly<Record<string, GoFunction>>,
): string {
  let out = '';
  const run = (nodes: readonly TemplateNode[]) => {
    for (const n of nodes) {
      if (n.kind === 'text') out += n.text;
      else if (n.kind === 'action') out += formatValue(pipeline(n.pipe));
      else if (truth(pipeline(n.pipe))) run(n.then);
      else if (n.else) run(n.else);
    }
  };

  function pipeline(p: Pipe): GoValue {
    let value: Final = NONE;
    for (const c of p.commands) value = command(c, value);
    return value === NONE ? undefined : value;
  }

  function command(c: Command, final: Final): GoValue {
    const [first, ...args] = c.args as [Operand, ...Operand[]];
    const here = (why: string) => new Failure(first.pos, commandText(c), why);
    switch (first.kind) {
      case 'field':
        return fields(data, first.names, args, final, c);
      case 'chain':
        return fields(operand(first.of), first.names, args, final, c);
      case 'function':
        return call(first.name, args, final, c);
      default:
        if (args.length > 0 || final !== NONE)
          throw here(`can't give argument to non-function ${operandText(first)}`);
        return operand(first);
    }
  }

  function call(name: string, args: Operand[], final: Final, c: Command): GoValue {
    const values = () => [...args.map(operand), ...(final === NONE ? [] : [final])];
    if (name === 'and' || name === 'or') {
      const thunks = [
        ...args.map((a) => () => operand(a)),
        ...(final === NONE ? [] : [() => final]),
      ];
      if (thunks.length === 0)
        throw new Failure(
          c.pos,
          commandText(c),
          `wrong number of args for ${name}: want at least 1 got 0`,
        );
      let v: GoValue = undefined;
      for (const thunk of thunks) {
        v = thunk() as GoValue;
        if (truth(v) === (name === 'or')) return v;
      }
      return v;
    }
    const fn = functions[name]!;
    try {
      return fn(values());
    } catch (error) {
      if (error instanceof Failure) throw error;
      throw new Failure(
        c.pos,
        commandText(c),
        `error calling ${name}: ${(error as Error).message}`,
      );
    }
  }

  function fields(
    receiver: GoValue,
    names: readonly string[],
    args: Operand[],
    final: Final,
    c: Command,
  ): GoValue {
    let v = receiver;
    names.forEach((name, i) => {
      const last = i === names.length - 1;
      const callArgs = last ? [...args.map(operand), ...(final === NONE ? [] : [final])] : [];
      v = field(v, name, callArgs, last && (args.length > 0 || final !== NONE), c);
    });
    return v;
  }

  function field(v: GoValue, name: string, args: GoValue[], hasArgs: boolean, c: Command): GoValue {
    const fail = (why: string) => new Failure(c.pos, commandText(c), why);
    if (v instanceof GoStruct) {
      const method = v.methods[name];
      if (method) return method(...args);
      if (!Object.hasOwn(v.fields, name))
        throw fail(`can't evaluate field ${name} in type ${v.typeName}`);
      if (hasArgs) throw fail(`${name} has arguments but cannot be invoked as function`);
      return v.fields[name];
    }
    if (v instanceof Map) {
      if (hasArgs) throw fail(`${name} is not a method but has arguments`);
      return v.get(name);
    }
    if (v === undefined) throw fail(`nil data; no entry for key "${name}"`);
    if (v === null) throw fail(`nil pointer evaluating interface {}.${name}`);
    throw fail(`can't evaluate field ${name} in type ${typeOf(v)}`);
  }

  function operand(o: Operand): GoValue {
    switch (o.kind) {
      case 'field':
        return fields(data, o.names, [], NONE, { args: [o], pos: o.pos });
      case 'chain':
        return fields(operand(o.of), o.names, [], NONE, { args: [o], pos: o.pos });
      case 'dot':
      case 'root':
        return data;
      case 'function':
        return call(o.name, [], NONE, { args: [o], pos: o.pos });
      case 'string':
        return o.value;
      case 'number':
        return numberValue(o.text, o.char);
      case 'bool':
        return o.value;
      case 'nil':
        return null;
      case 'pipe':
        return pipeline(o.pipe);
    }
  }

  try {
    run(t.nodes);
    return out;
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    throw new TemplateExecError(
      `template: ${where(t.name, t.text, error.pos)}: executing "${t.name}" at <${error.node}>: ${error.message}`,
    );
  }
}

/** A number constant as Go's template evaluates it: float64 when written with . e or p, else int. */
function numberValue(text: string, char?: boolean): GoValue {
  if (char) return BigInt(text.codePointAt(0)!);
  const plain = text.replace(/_/g, '');
  if (!/^[+-]?0[xX]/.test(plain) && /[.eEpP]/.test(plain)) return Number(plain);
  const negative = plain.startsWith('-');
  const digits = plain.replace(/^[+-]/, '');
  const octal = /^0[0-7]+$/.test(digits) ? `0o${digits.slice(1)}` : digits;
  const n = BigInt(octal.replace(/^0([xXbBoO])/, (_, p: string) => `0${p.toLowerCase()}`));
  return negative ? -n : n;
}

function operandText(o: Operand): string {
  switch (o.kind) {
    case 'field':
      return `.${o.names.join('.')}`;
    case 'chain':
      return `${operandText(o.of)}.${o.names.join('.')}`;
    case 'dot':
      return '.';
    case 'root':
      return '$';
    case 'function':
      return o.name;
    case 'string':
      return JSON.stringify(o.value);
    case 'number':
      return o.char ? `'${o.text}'` : o.text;
    case 'bool':
      return String(o.value);
    case 'nil':
      return 'nil';
    case 'pipe':
      return `(${o.pipe.commands.map(commandText).join(' | ')})`;
  }
}

function commandText(c: Command): string {
  return c.args.map(operandText).join(' ');
}
