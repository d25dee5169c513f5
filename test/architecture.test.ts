// The import rule of design.md "Data flows one way", checked on every source file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every module specifier a file imports or re-exports, resolved to a repo path when relative. */
function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specs = [
    ...text.matchAll(
      /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
  return specs.map((s) =>
    s.startsWith('.') ? relative(root, resolve(root, dirname(file), s)) : s,
  );
}

/** The record model sync/ may import from functions/: record sets and the address literals in them. */
const RECORD_MODEL = ['functions/core/record.ts', 'functions/core/ip.ts'];

const rules: { files: string; allowed: (spec: string) => boolean; why: string }[] = [
  {
    files: 'functions/core',
    allowed: (s) => s.startsWith('functions/core/') || s === 'dns-packet',
    why: 'the core imports only itself and dns-packet: no node:, no hono, no SDK',
  },
  {
    files: 'sync/build',
    allowed: (s) =>
      s.startsWith('sync/build/') || RECORD_MODEL.includes(s) || s === 'sync/kube/objects.ts',
    why: 'the builder is pure: Kubernetes objects in, record model out',
  },
  {
    files: 'sync',
    allowed: (s) =>
      !s.startsWith('functions/') ||
      RECORD_MODEL.includes(s) ||
      s.startsWith('functions/store/dynamodb/codec'),
    why: 'sync imports only the record model and the store item codec from functions/',
  },
  {
    files: 'functions',
    allowed: (s) => !s.startsWith('sync/'),
    why: 'functions/ (but its entries) never imports sync/',
  },
];

/** Entries only wire (config -> dependencies -> handler): they may import anything, nothing imports them. */
const isEntry = (f: string): boolean => f.startsWith('functions/entry/') || f === 'sync/main.ts';

test('no file imports an entry', () => {
  for (const file of [...sources('functions'), ...sources('sync'), ...sources('test')]) {
    for (const spec of imports(file)) {
      assert.ok(!isEntry(spec), `${file} imports the entry ${spec}`);
    }
  }
});

for (const rule of rules) {
  test(`imports in ${rule.files}/: ${rule.why}`, () => {
    const files = sources(rule.files).filter((f) => !isEntry(f));
    assert.ok(files.length > 0, `no sources under ${rule.files}`);
    for (const file of files) {
      for (const spec of imports(file)) {
        assert.ok(rule.allowed(spec), `${file} imports ${spec}: ${rule.why}`);
      }
    }
  });
}

test('the import scanner sees relative, package and node: imports', () => {
  const found = imports('functions/entry/container.ts');
  assert.ok(found.includes('node:fs'));
  assert.ok(found.includes('functions/core/resolver.ts'));
  assert.ok(imports('functions/entry/container-loader.ts').some((s) => s.startsWith('sync/')));
});
