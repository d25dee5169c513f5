// The container entry as a user meets it: bad input stops start-up with a message that names the
// file, the field and what was expected; good input serves and stops cleanly on SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, SAMPLE_CLUSTER, startContainer } from './support/container.ts';
import { queryUdp, makeQuery, rcodeOf } from './support/dns-client.ts';

const dir = mkdtempSync(join(tmpdir(), 'edge-dns-startup-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** Runs the entry to its exit; resolves with the exit code and stderr. */
function runToExit(
  args: string[],
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'functions/entry/container.ts', ...args],
    { cwd: REPO_ROOT },
  );
  let stderr = '';
  let stdout = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr, stdout })));
}

const badStarts: { why: string; args: () => string[]; message: RegExp }[] = [
  {
    why: 'no snapshot',
    args: () => ['--dns', '127.0.0.1:0'],
    message: /no snapshot given: pass --snapshot FILE/,
  },
  {
    why: 'a missing snapshot file',
    args: () => ['--snapshot', join(dir, 'absent.json')],
    message: /absent\.json: cannot read snapshot/,
  },
  {
    why: 'a snapshot with a bad field',
    args: () => [
      '--snapshot',
      file(
        'bad.json',
        JSON.stringify({
          kind: 'List',
          items: [
            {
              kind: 'Service',
              metadata: { name: 'web', namespace: 'shop' },
              spec: { ports: [{ port: 'eighty' }] },
            },
          ],
        }),
      ),
    ],
    message: /bad\.json: items\[0\]: Service shop\/web: spec\.ports\[0\]\.port: .*expected number/,
  },
  {
    why: 'a snapshot that is not JSON',
    args: () => ['--snapshot', file('broken.json', '{"kind": "List", ')],
    message: /broken\.json: not valid JSON or YAML/,
  },
  {
    why: 'a config with a bad field',
    args: () => [
      '--config',
      file('bad.yaml', 'kubernetes:\n  ttl: -1\n'),
      '--snapshot',
      SAMPLE_CLUSTER,
    ],
    message: /bad\.yaml:2:3: kubernetes\.ttl: /i,
  },
  {
    why: 'an unknown flag',
    args: () => ['--snapshot', SAMPLE_CLUSTER, '--colour'],
    message: /command line: .*colour/,
  },
];

for (const c of badStarts) {
  test(`start-up stops on ${c.why}`, async () => {
    const { code, stderr, stdout } = await runToExit(c.args());
    assert.equal(code, 2);
    assert.match(stderr, c.message);
    assert.doesNotMatch(stderr, /\n\s+at /, 'a message, not a stack trace');
    assert.equal(stdout, '');
  });
}

test('a port already in use is reported, not thrown', async () => {
  const first = await startContainer(['--snapshot', SAMPLE_CLUSTER]);
  try {
    const { code, stderr } = await runToExit([
      '--snapshot',
      SAMPLE_CLUSTER,
      '--dns',
      `127.0.0.1:${first.udp.port}`,
    ]);
    assert.equal(code, 2);
    assert.match(stderr, /EADDRINUSE/);
  } finally {
    await first.stop();
  }
});

test('serves the sample from a config file, prints a dig command, and stops on SIGTERM', async () => {
  const config = file(
    'edge.yaml',
    `snapshots: [${JSON.stringify(join(REPO_ROOT, SAMPLE_CLUSTER))}]\nkubernetes:\n  ttl: 30\n`,
  );
  const server = await startContainer(['--config', config]);
  assert.match(
    server.readyLine,
    /try: dig @127\.0\.0\.1 -p \d+ kubernetes\.default\.svc\.cluster\.local/,
  );
  const reply = await queryUdp(server.udp, makeQuery('kubernetes.default.svc.cluster.local', 'A'));
  assert.equal(rcodeOf(reply), 'NOERROR');
  assert.equal((reply.answers?.[0] as { ttl?: number } | undefined)?.ttl, 30);
  assert.equal(await server.stop(), 0);
});
