// The data a CoreDNS template renders with (plugin/template templateData): .Zone .Name .Regex
// .Match .Group .Class .Type .Question .Remote .Var, and the .Meta method. `.Message` (the whole
// query) is not offered: plugins here see the question, not the message, and a template naming
// it fails at setup. Names are fully qualified and lowercased, as CoreDNS's request.Name.
import { typeNumber } from '../doh/record-types.ts';
import type { Operand, TemplateNode } from './go-template-parser.ts';
import { GoStruct, type GoValue } from './go-value.ts';

const FIELDS = new Set([
  'Zone',
  'Name',
  'Regex',
  'Match',
  'Group',
  'Class',
  'Type',
  'Question',
  'Remote',
  'Var',
  'Meta',
]);
const CLASS_NUMBER: Record<string, number> = { IN: 1, CS: 2, CH: 3, HS: 4, NONE: 254, ANY: 255 };

const fqdn = (name: string) => (name === '' ? '.' : `${name}.`);

export interface TemplateDataInput {
  /** The matched zone, canonical. */
  zone: string;
  /** The question as asked (case kept, no trailing dot). */
  asked: string;
  /** The matching regex as written in the Corefile (Go's Regexp.String). */
  pattern: string;
  match: RegExpExecArray;
  /** Class and type names for .Class and .Type (the template's where the question said ANY). */
  class: string;
  type: string;
  /** The question's own class and type, for .Question. */
  qclass: string;
  qtype: string;
  remote: string;
  meta?: (name: string) => string;
}

export function templateData(i: TemplateDataInput): GoStruct {
  const match = [...i.match].map((m) => m ?? '');
  const group = new Map<string, GoValue>(match.map((m, n) => [String(n), m]));
  for (const [name, value] of Object.entries(i.match.groups ?? {})) group.set(name, value ?? '');
  const question = new GoStruct(
    '*dns.Question',
    {
      Name: fqdn(i.asked),
      Qtype: BigInt(typeNumber(i.qtype) ?? 0),
      Qclass: BigInt(CLASS_NUMBER[i.qclass] ?? 0),
    },
    {},
    `;${fqdn(i.asked)}\t${i.qclass}\t ${i.qtype}`,
  );
  return new GoStruct(
    '*template.templateData',
    {
      Zone: fqdn(i.zone),
      Name: fqdn(i.asked.toLowerCase()),
      Regex: i.pattern,
      Match: match,
      Group: group,
      Class: i.class,
      Type: i.type,
      Question: question,
      Remote: i.remote,
      Var: new Map(),
    },
    { Meta: (name) => (typeof name === 'string' ? (i.meta?.(name) ?? '') : '') },
  );
}

/** The data fields a template names (`.Name`, `$.Group`, ...), wherever it names them. */
export function fieldsUsed(nodes: readonly TemplateNode[], into = new Set<string>()): Set<string> {
  const operands = (list: readonly Operand[]): void => {
    for (const o of list) {
      if (o.kind === 'field') into.add(o.names[0]!);
      else if (o.kind === 'chain' && o.of.kind === 'root') into.add(o.names[0]!);
      else if (o.kind === 'chain') operands([o.of]);
      else if (o.kind === 'pipe') operands(o.pipe.commands.flatMap((c) => c.args));
    }
  };
  for (const n of nodes) {
    if (n.kind === 'text') continue;
    operands(n.pipe.commands.flatMap((c) => c.args));
    if (n.kind === 'if') fieldsUsed([...n.then, ...(n.else ?? [])], into);
  }
  return into;
}

/** Why a template's fields cannot work here (a field the data lacks, `.Message`), or undefined. */
export function fieldProblem(used: ReadonlySet<string>): string | undefined {
  if (used.has('Message'))
    return '.Message is not available: edge-dns plugins see the question, not the message';
  const unknown = [...used].find((f) => !FIELDS.has(f));
  return unknown && `can't evaluate field ${unknown} in type *template.templateData`;
}
