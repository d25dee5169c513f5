// The rule checker of test/architecture.test.ts, shown catching each kind of violation on small
// made-up import graphs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cycles, fileEdges, folderEdges, ruleViolations } from './support/import-rules.ts';

const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

const broken: [string, Record<string, string[]>, RegExp][] = [
  ['core imports node:', { 'functions/core/a.ts': ['node:fs'] }, /the core imports only itself/],
  ['core imports hono', { 'functions/core/a.ts': ['hono'] }, /the core imports only itself/],
  ['core imports a store', { 'functions/core/a.ts': ['functions/store/memory.ts'] }, /core/],
  ['builder imports zod', { 'sync/records/a.ts': ['zod'] }, /record builder is pure/],
  ['builder imports the planner', { 'sync/records/a.ts': ['sync/plan/plan.ts'] }, /pure/],
  ['sync imports a transport', { 'sync/watch/a.ts': ['functions/doh/app.ts'] }, /sync\/ takes/],
  [
    'sync imports the store reader',
    { 'sync/write/a.ts': ['functions/store/dynamodb/reader.ts'] },
    /table codec/,
  ],
  [
    'doh imports sync',
    { 'functions/doh/a.ts': ['sync/records/cluster.ts'] },
    /wiring lives in entries/,
  ],
  [
    'forward imports entry wiring',
    { 'functions/forward/a.ts': ['functions/entry/edge-app.ts'] },
    /entries/,
  ],
  ['common imports functions', { 'common/config/a.ts': ['functions/core/ip.ts'] }, /neutral/],
  ['common imports sync', { 'common/probes/a.ts': ['sync/live/live-sync.ts'] }, /neutral/],
  [
    'a test imports an entry main',
    { 'test/a.test.ts': ['functions/entry/lambda.ts'] },
    /entry main/,
  ],
];

for (const [name, edges, why] of broken) {
  test(`caught: ${name}`, () => {
    const found = ruleViolations(graph(edges));
    assert.equal(found.length >= 1, true, 'no violation reported');
    assert.match(found.join('\n'), why);
  });
}

const allowed: [string, Record<string, string[]>][] = [
  [
    'core imports core and dns-packet',
    { 'functions/core/a.ts': ['functions/core/b.ts', 'dns-packet'] },
  ],
  [
    'builder imports the record model',
    { 'sync/records/a.ts': ['functions/core/record.ts', 'sync/kube/objects.ts'] },
  ],
  ['sync imports the table codec', { 'sync/write/a.ts': ['functions/store/dynamodb/codec.ts'] }],
  ['an entry imports sync', { 'functions/entry/container-records.ts': ['sync/live/live-sync.ts'] }],
  [
    'sync and functions import common',
    {
      'sync/main.ts': ['common/probes/probe-server.ts'],
      'functions/forward/a.ts': ['common/config/zone-name.ts'],
    },
  ],
];

for (const [name, edges] of allowed) {
  test(`allowed: ${name}`, () => assert.deepEqual(ruleViolations(graph(edges)), []));
}

test('caught: a cycle between folders', () => {
  const g = graph({
    'functions/forward/a.ts': ['functions/config/b.ts'],
    'functions/config/b.ts': ['functions/forward/c.ts'],
    'functions/forward/c.ts': [],
  });
  assert.deepEqual(cycles(folderEdges(g)), [
    ['functions/config', 'functions/forward', 'functions/config'],
  ]);
});

test('caught: a cycle between core files, through a third', () => {
  const g = graph({
    'functions/core/answer.ts': ['functions/core/forwarder.ts'],
    'functions/core/forwarder.ts': ['functions/core/sections.ts'],
    'functions/core/sections.ts': ['functions/core/answer.ts'],
  });
  assert.equal(cycles(fileEdges(g, 'functions/core')).length, 1);
});

test('no cycle reported for a diamond', () => {
  const g = graph({
    'functions/entry/a.ts': ['functions/doh/b.ts', 'functions/forward/c.ts'],
    'functions/doh/b.ts': ['functions/core/d.ts'],
    'functions/forward/c.ts': ['functions/core/d.ts'],
    'functions/core/d.ts': [],
  });
  assert.deepEqual(cycles(folderEdges(g)), []);
  assert.deepEqual(cycles(fileEdges(g, 'functions')), []);
});
