// The import rules of docs/architecture.md §4, checked on every source file of the repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import {
  cycles,
  fileEdges,
  folderEdges,
  importGraph,
  ruleViolations,
  rules,
  sourcesUnder,
} from './support/import-rules.ts';

const root = resolve(import.meta.dirname, '..');
const sources = importGraph(root, sourcesUnder(root, ['functions', 'sync', 'common']));
const everything = importGraph(
  root,
  sourcesUnder(root, ['functions', 'sync', 'common', 'test', 'bench']),
);

test('every rule covers some files', () => {
  for (const rule of rules) assert.ok([...sources.keys()].some(rule.files), rule.why);
});

test('sources keep the import rules', () => {
  assert.deepEqual(ruleViolations(sources), []);
});

// Tests may import an entry to run it (the Lambda handler); nothing else may.
test('no test helper or benchmark imports an entry main file', () => {
  assert.deepEqual(ruleViolations(everything, rules.slice(-1)), []);
});

test('no cycles between folders', () => {
  assert.deepEqual(cycles(folderEdges(sources)), []);
});

test('no cycles between files of the core', () => {
  assert.deepEqual(cycles(fileEdges(sources, 'functions/core')), []);
});

test('the import scanner sees relative, package, node: and dynamic imports', () => {
  const container = sources.get('functions/entry/container-records.ts') ?? [];
  assert.ok(container.includes('functions/store/memory.ts'));
  assert.ok(container.includes('sync/live/live-sync.ts'), 'a dynamic import');
  assert.ok(sources.get('functions/entry/container.ts')?.includes('node:fs'));
  assert.ok(sources.get('functions/core/resolver.ts')?.includes('dns-packet'));
});
