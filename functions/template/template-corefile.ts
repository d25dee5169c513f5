// CoreDNS's `template` directive (plugin/template setup, README):
//   template CLASS TYPE [ZONE...] { match REGEX...; answer RR; additional RR; authority RR;
//                                   rcode CODE; ederror CODE [REASON]; fallthrough [ZONE...]; upstream }
// `upstream` is accepted and ignored, as CoreDNS does since it deprecated it (a CNAME answer to
// an A or AAAA question is followed through the server whenever the entry passes `upstream` to
// the plugin). `var` and `expr` (expr-lang expressions) are refused. Regexes and templates are
// compiled here, so a bad one stops start-up naming its line.
import { directiveError, type Directive } from '../corefile/corefile.ts';
import { zoneArg, zonesFromArgs } from '../corefile/zone-args.ts';
import type { Rcode } from '../core/sections.ts';
import { typeNumber } from '../doh/record-types.ts';
import { goRegExp } from './go-regexp.ts';
import { FUNCTION_NAMES } from './go-template-functions.ts';
import { parseTemplate, type ParsedTemplate } from './go-template-parser.ts';
import { fieldProblem, fieldsUsed } from './template-data.ts';

export type Section = 'answer' | 'additional' | 'authority';

export interface RrTemplate {
  section: Section;
  /** The template as written: the `template` label of CoreDNS's failure metrics. */
  source: string;
  parsed: ParsedTemplate;
  file: string;
  line: number;
}

export interface TemplateOptions {
  /** Class and type names as dns-packet spells them; 'ANY' matches every one. */
  class: string;
  type: string;
  /** Canonical zones ('' the root): the arguments', else the server block's. */
  zones: string[];
  /** `match`: the first that matches wins; `.*` when none is written. */
  regexes: { pattern: string; regex: RegExp }[];
  answer: RrTemplate[];
  additional: RrTemplate[];
  authority: RrTemplate[];
  rcode: Rcode;
  /** RFC 8914 Extended DNS Error: parsed, not yet sent (the resolver writes the OPT record). */
  ederror?: { code: number; reason?: string };
  /** `fallthrough [ZONES...]`: undefined: never; []: every zone. */
  fallthrough?: string[];
  /** Some template reads `.Remote`: its answers must not be cached by question. */
  readsClient: boolean;
  file: string;
  line: number;
}

const CLASSES = new Set(['IN', 'CS', 'CH', 'HS', 'NONE', 'ANY']);
const RCODES = new Set<Rcode>(['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED']);
// miekg/dns RcodeToString names edge-dns cannot answer with (Sections carry the six above).
const OTHER_RCODES = [
  'YXDOMAIN',
  'YXRRSET',
  'NXRRSET',
  'NOTAUTH',
  'NOTZONE',
  'BADSIG',
  'BADVERS',
  'BADKEY',
  'BADTIME',
  'BADMODE',
  'BADNAME',
  'BADALG',
  'BADTRUNC',
  'BADCOOKIE',
];

export function templateFromDirective(
  d: Directive,
  blockZones: readonly string[],
): TemplateOptions {
  const [klass, type, ...zoneArgs] = d.args;
  if (klass === undefined || type === undefined)
    throw directiveError(d, 'expected CLASS TYPE [ZONE...]');
  if (!CLASSES.has(klass)) throw directiveError(d, `invalid query class ${klass}`);
  if (!/^[A-Z][A-Z0-9-]*$/.test(type) || /^TYPE\d/.test(type) || typeNumber(type) === undefined)
    throw directiveError(d, `invalid RR type ${type}`);
  const o: TemplateOptions = {
    class: klass,
    type,
    zones: zonesFromArgs(d, zoneArgs, blockZones),
    regexes: [],
    answer: [],
    additional: [],
    authority: [],
    rcode: 'NOERROR',
    readsClient: false,
    file: d.file,
    line: d.line,
  };
  for (const s of d.block ?? []) {
    const atLeastOne = () => {
      if (s.args.length === 0)
        throw directiveError(s, `expected ${s.name} followed by at least one argument`);
      return s.args;
    };
    switch (s.name) {
      case 'match':
        for (const pattern of atLeastOne()) {
          try {
            o.regexes.push({ pattern, regex: goRegExp(pattern) });
          } catch (error) {
            throw directiveError(s, (error as Error).message);
          }
        }
        break;
      case 'answer':
      case 'additional':
      case 'authority':
        for (const source of atLeastOne()) o[s.name].push(compile(s, s.name, source, o));
        break;
      case 'rcode':
        o.rcode = rcodeOf(s);
        break;
      case 'ederror':
        o.ederror = ederrorOf(s);
        break;
      case 'fallthrough':
        o.fallthrough = s.args.flatMap((arg) => zoneArg(s, arg));
        break;
      case 'upstream':
        break; // deprecated by CoreDNS, which reads its arguments and ignores them
      case 'var':
      case 'expr':
        throw directiveError(s, `${s.name} (expr-lang expressions) is not supported`);
      default:
        throw directiveError(s, `unknown property "${s.name}"`);
    }
  }
  if (o.regexes.length === 0) o.regexes.push({ pattern: '.*', regex: goRegExp('.*') });
  return o;
}

function compile(s: Directive, section: Section, source: string, o: TemplateOptions): RrTemplate {
  let parsed: ParsedTemplate;
  try {
    parsed = parseTemplate(section, source, FUNCTION_NAMES);
  } catch (error) {
    throw directiveError(s, `could not compile template: ${(error as Error).message}`);
  }
  const used = fieldsUsed(parsed.nodes);
  const problem = fieldProblem(used);
  if (problem) throw directiveError(s, `could not compile template: ${problem}`);
  if (used.has('Remote')) o.readsClient = true;
  return { section, source, parsed, file: s.file, line: s.line };
}

function rcodeOf(s: Directive): Rcode {
  const [code, ...rest] = s.args;
  if (code === undefined || rest.length > 0) throw directiveError(s, 'expected rcode CODE');
  if (RCODES.has(code as Rcode)) return code as Rcode;
  if (OTHER_RCODES.includes(code))
    throw directiveError(s, `rcode ${code} is not supported (${[...RCODES].join(', ')})`);
  throw directiveError(s, `unknown rcode ${code}`);
}

function ederrorOf(s: Directive): { code: number; reason?: string } {
  const [code, reason, ...rest] = s.args;
  if (code === undefined || rest.length > 0)
    throw directiveError(s, 'expected ederror CODE [REASON]');
  const n = /^\d+$/.test(code) ? Number(code) : NaN;
  if (!(n <= 65535)) throw directiveError(s, `error parsing extended DNS error code ${code}`);
  return reason === undefined ? { code: n } : { code: n, reason };
}
