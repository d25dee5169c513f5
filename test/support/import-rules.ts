// The import rules of docs/architecture.md §4 as data, and the checker that applies them to an
// import graph (file -> the modules it imports, relative ones resolved to repository paths).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export type ImportGraph = ReadonlyMap<string, readonly string[]>;

export interface ImportRule {
  /** Which importing files the rule covers. */
  files: (file: string) => boolean;
  /** Whether one of their imports is allowed. */
  allowed: (spec: string) => boolean;
  why: string;
}

const under = (folder: string) => (path: string) => path.startsWith(`${folder}/`);

/** An entry's main file: the process (or function) starts there, so nothing imports it. */
const ENTRY_MAINS = [
  'functions/entry/container.ts',
  'functions/entry/container-loader.ts',
  'functions/entry/lambda.ts',
  'functions/entry/workers.ts',
  'sync/main.ts',
];

/** What sync/ may take from functions/: the record model and the table codec. */
const RECORD_MODEL = ['functions/core/record.ts', 'functions/core/ip.ts'];
const isTableCodec = (s: string) => /^functions\/store\/dynamodb\/codec[^/]*\.ts$/.test(s);
/** sync/sources/ reads a Corefile's `file` and `hosts` directives as the container does. */
const isDirectiveSetup = (s: string) =>
  (under('functions/corefile')(s) && s !== 'functions/corefile/plugin-order.ts') ||
  s === 'functions/file/file-config.ts' ||
  s === 'functions/hosts/hosts-corefile.ts';

export const rules: ImportRule[] = [
  {
    files: under('functions/core'),
    allowed: (s) => under('functions/core')(s) || s === 'dns-packet',
    why: 'the core imports only itself and dns-packet: no node:, no hono, no SDK',
  },
  {
    files: under('sync/records'),
    allowed: (s) =>
      under('sync/records')(s) || RECORD_MODEL.includes(s) || s === 'sync/kube/objects.ts',
    why: 'the record builder is pure: Kubernetes objects in, record model out',
  },
  {
    files: (f) => under('sync')(f) && !under('sync/sources')(f),
    allowed: (s) => !under('functions')(s) || under('functions/core')(s) || isTableCodec(s),
    why: 'sync/ takes from functions/ only the record model (core/) and the table codec',
  },
  {
    files: under('sync/sources'),
    allowed: (s) =>
      !under('functions')(s) ||
      under('functions/core')(s) ||
      isTableCodec(s) ||
      isDirectiveSetup(s),
    why: 'sync/sources/ also reads the Corefile, and its file and hosts directives as the container does',
  },
  {
    files: (f) => under('functions')(f) && !under('functions/entry')(f),
    allowed: (s) => !under('sync')(s) && !under('functions/entry')(s),
    why: 'functions/ outside entry/ imports nothing from sync/ or entry/: wiring lives in entries',
  },
  {
    files: under('common'),
    allowed: (s) => !under('functions')(s) && !under('sync')(s),
    why: 'common/ is neutral ground: it imports neither functions/ nor sync/',
  },
  {
    files: () => true,
    allowed: (s) => !ENTRY_MAINS.includes(s),
    why: 'nothing imports an entry main file',
  },
];

/** Every rule broken in `graph`, one line each: file, import, why. */
export function ruleViolations(graph: ImportGraph, ruleList = rules): string[] {
  const out: string[] = [];
  for (const [file, specs] of graph) {
    for (const rule of ruleList) {
      if (!rule.files(file)) continue;
      for (const spec of specs)
        if (!rule.allowed(spec)) out.push(`${file} imports ${spec}: ${rule.why}`);
    }
  }
  return out;
}

/** Cycles in a directed graph, each as the path that closes it (a -> b -> a). */
export function cycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

/** The folder graph: folder A -> folder B when a file in A imports a file in B (repo paths only). */
export function folderEdges(graph: ImportGraph): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const [file, specs] of graph) {
    for (const spec of specs) {
      if (!graph.has(spec) || dirname(spec) === dirname(file)) continue;
      const from = edges.get(dirname(file)) ?? new Set<string>();
      edges.set(dirname(file), from.add(dirname(spec)));
    }
  }
  return edges;
}

/** The file graph inside one folder (and its subfolders). */
export function fileEdges(graph: ImportGraph, folder: string): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const [file, specs] of graph) {
    if (!under(folder)(file)) continue;
    edges.set(file, new Set(specs.filter((s) => under(folder)(s) && graph.has(s))));
  }
  return edges;
}

/** Every module specifier a file imports or re-exports, resolved to a repository path when relative. */
function importsOf(root: string, file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const pattern =
    /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;
  return [...text.matchAll(pattern)]
    .map((m) => m[1] ?? m[2] ?? m[3] ?? '')
    .map((s) => (s.startsWith('.') ? relative(root, resolve(root, dirname(file), s)) : s));
}

/** The .ts sources (tests left out, unless asked) under `dirs`, as repository paths. */
export function sourcesUnder(root: string, dirs: string[], withTests = false): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(root, dir)).flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(join(root, path)).isDirectory()) return walk(path);
      const isTest = path.endsWith('.test.ts');
      return path.endsWith('.ts') && (withTests || !isTest) ? [path] : [];
    });
  return dirs.flatMap(walk);
}

export function importGraph(root: string, files: string[]): Map<string, string[]> {
  return new Map(files.map((f) => [f, importsOf(root, f)]));
}
