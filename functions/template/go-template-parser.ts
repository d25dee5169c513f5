// The parse tree of Go's text/template, for the subset CoreDNS's answers use: text, actions with
// pipelines (`a | b`), commands of operands (fields `.A.B`, `$`, constants, functions,
// parenthesized pipelines), and `{{ if }} {{ else if }} {{ else }} {{ end }}`. What Go has beyond
// that (`range`, `with`, variables, `define`, `template`, `block`) is a syntax error here, so a
// Corefile using it fails at start-up, never at query time.
import { lex, where, TemplateSyntaxError, type Token } from './go-template-lexer.ts';

export type Operand =
  | { kind: 'field'; names: string[]; pos: number }
  | { kind: 'chain'; of: Operand; names: string[]; pos: number }
  | { kind: 'dot'; pos: number }
  | { kind: 'root'; pos: number }
  | { kind: 'function'; name: string; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; text: string; char?: boolean; pos: number }
  | { kind: 'bool'; value: boolean; pos: number }
  | { kind: 'nil'; pos: number }
  | { kind: 'pipe'; pipe: Pipe; pos: number };

export interface Command {
  args: Operand[];
  pos: number;
}

export interface Pipe {
  commands: Command[];
  pos: number;
}

export type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipe; pos: number }
  | { kind: 'if'; pipe: Pipe; then: TemplateNode[]; else?: TemplateNode[]; pos: number };

export interface ParsedTemplate {
  name: string;
  text: string;
  nodes: TemplateNode[];
}

/** Parses `text`; `functions` are the names a command may call (Go: "function not defined"). */
export function parseTemplate(
  name: string,
  text: string,
  functions: ReadonlySet<string>,
): ParsedTemplate {
  const tokens = lex(name, text);
  let i = 0;
  const fail = (pos: number, why: string): never => {
    throw new TemplateSyntaxError(`template: ${where(name, text, pos)}: ${why}`);
  };
  const peek = (): Token | undefined => tokens[i];
  const skipSpace = () => {
    while (peek()?.kind === 'space') i++;
  };
  const expect = (kind: Token['kind'], what: string): Token => {
    skipSpace();
    const t = tokens[i++];
    if (!t || t.kind !== kind) fail(t?.pos ?? text.length, `unexpected ${describe(t)} ${what}`);
    return t!;
  };

  /** Nodes up to `{{ end }}` or `{{ else }}` (returned as the stop) or the end of the text. */
  function list(inIf: boolean): { nodes: TemplateNode[]; stop?: 'end' | 'else' } {
    const nodes: TemplateNode[] = [];
    while (i < tokens.length) {
      const t = tokens[i++]!;
      if (t.kind === 'text') {
        nodes.push({ kind: 'text', text: t.value });
        continue;
      }
      skipSpace();
      const head = peek();
      if (head?.kind === 'keyword') {
        i++;
        if (head.value === 'if') nodes.push(ifNode(head.pos));
        else if (head.value === 'end' || head.value === 'else') {
          if (!inIf) fail(head.pos, `unexpected {{${head.value}}}`);
          if (head.value === 'end') expect('right', 'in end');
          return { nodes, stop: head.value };
        } else fail(head.pos, `{{${head.value}}} is not supported in CoreDNS templates here`);
      } else nodes.push({ kind: 'action', pipe: pipeline('command'), pos: t.pos });
    }
    if (inIf) fail(text.length, 'unexpected EOF');
    return { nodes };
  }

  function ifNode(pos: number): TemplateNode {
    const pipe = pipeline('if');
    const then = list(true);
    if (then.stop === 'end') return { kind: 'if', pipe, then: then.nodes, pos };
    skipSpace();
    if (peek()?.kind === 'keyword' && peek()!.value === 'if') {
      const inner = peek()!.pos;
      i++;
      return { kind: 'if', pipe, then: then.nodes, else: [ifNode(inner)], pos };
    }
    expect('right', 'in else');
    const other = list(true);
    if (other.stop !== 'end') fail(pos, 'expected end; found {{else}}');
    return { kind: 'if', pipe, then: then.nodes, else: other.nodes, pos };
  }

  /** Commands separated by `|`, up to the action's `}}` (or a `)` when nested). */
  function pipeline(context: string, nested = false): Pipe {
    const commands: Command[] = [];
    const pos = peek()?.pos ?? text.length;
    for (;;) {
      skipSpace();
      const t = peek();
      if (t?.kind === 'declare' || (t?.kind === 'variable' && t.value !== '$'))
        fail(t.pos, 'template variables are not supported in CoreDNS templates here');
      const command = commandOf();
      if (command.args.length === 0) fail(t?.pos ?? pos, `missing value for ${context}`);
      commands.push(command);
      skipSpace();
      const next = tokens[i++];
      if (next?.kind === 'pipe') continue;
      if (next?.kind === (nested ? 'close' : 'right')) return { commands, pos };
      fail(next?.pos ?? text.length, `unexpected ${describe(next)} in ${context}`);
    }
  }

  function commandOf(): Command {
    const args: Operand[] = [];
    const pos = peek()?.pos ?? text.length;
    for (;;) {
      skipSpace();
      const t = peek();
      if (!t || ['pipe', 'right', 'close'].includes(t.kind)) return { args, pos };
      args.push(operand());
      const after = peek();
      if (after && !['space', 'pipe', 'right', 'close'].includes(after.kind))
        fail(after.pos, `unexpected ${describe(after)} in operand`);
    }
  }

  function operand(): Operand {
    const t = tokens[i++]!;
    let node: Operand;
    switch (t.kind) {
      case 'field':
        node = { kind: 'field', names: [t.value], pos: t.pos };
        break;
      case 'dot':
        node = { kind: 'dot', pos: t.pos };
        break;
      case 'variable':
        if (t.value !== '$') fail(t.pos, `undefined variable "${t.value}"`);
        node = { kind: 'root', pos: t.pos };
        break;
      case 'identifier':
        if (!functions.has(t.value)) fail(t.pos, `function "${t.value}" not defined`);
        node = { kind: 'function', name: t.value, pos: t.pos };
        break;
      case 'string':
        node = { kind: 'string', value: t.value, pos: t.pos };
        break;
      case 'number':
      case 'char':
        node = { kind: 'number', text: t.value, char: t.kind === 'char', pos: t.pos };
        break;
      case 'bool':
        node = { kind: 'bool', value: t.value === 'true', pos: t.pos };
        break;
      case 'nil':
        node = { kind: 'nil', pos: t.pos };
        break;
      case 'open':
        node = { kind: 'pipe', pipe: pipeline('parenthesized pipeline', true), pos: t.pos };
        break;
      default:
        return fail(t.pos, `unexpected ${describe(t)} in operand`);
    }
    const names: string[] = [];
    while (peek()?.kind === 'field') names.push(tokens[i++]!.value);
    if (names.length === 0) return node;
    if (node.kind === 'field') return { ...node, names: [...node.names, ...names] };
    if (node.kind === 'function' || node.kind === 'dot' || node.kind === 'nil')
      fail(t.pos, `unexpected . after term ${JSON.stringify(t.value)}`);
    return { kind: 'chain', of: node, names, pos: t.pos };
  }

  const top = list(false);
  return { name, text, nodes: top.nodes };
}

function describe(t: Token | undefined): string {
  if (!t) return 'EOF';
  if (t.kind === 'right') return '"}}"';
  if (t.kind === 'close') return '")"';
  return `<${t.value}>`;
}
