// functions/entry/README.md's examples, run as written: the `edge-dns` command (--help, --version,
// --validate) and the local DoH-over-HTTPS server with kdig, dig and curl --doh-url against it,
// each checked against what its comment promises. README.md's "Try it" runs in npm-start.test.ts,
// which owns `npm start`'s fixed ports. The ports here are fixed too (the README's): when one is
// taken, the server's examples skip and say so.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { containerFlags } from '../functions/entry/container-flags.ts';
import { parseClientOutput } from './support/client-output.ts';
import { REPO_ROOT } from './support/container.ts';
import {
  busy,
  readmeCommands,
  runCommand,
  startCommand,
  type ReadmeCommand,
} from './support/readme-commands.ts';
import { requireTool } from './support/tools.ts';

const README = 'functions/entry/README.md';
const examples = readmeCommands(README, '## The `edge-dns` command');
const version = JSON.parse(readFileSync(`${REPO_ROOT}/package.json`, 'utf8')).version as string;

const kubernetesA = (out: string) => {
  const reply = parseClientOutput(out);
  assert.equal(reply.status, 'NOERROR', out);
  assert.deepEqual(reply.answer, ['kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1'], out);
};

/** Each example's promise: its comment (`comment`) and the check of it; `server` starts one. */
const promises: {
  command: RegExp;
  comment: RegExp;
  server?: true;
  check?: (out: string) => void;
}[] = [
  {
    command: /^npx edge-dns --help$/,
    comment: /every flag/,
    check: (out) => {
      for (const row of containerFlags) {
        assert.match(out, new RegExp(`^  --${row.flag}\\b`, 'm'));
        if (row.coredns) assert.ok(out.includes(`CoreDNS: ${row.coredns}`), row.flag);
      }
    },
  },
  {
    command: /^npx edge-dns --version$/,
    comment: /the package version/,
    check: (out) => assert.equal(out, `edge-dns ${version}\n`),
  },
  {
    command: /^npx edge-dns --validate /,
    comment: /^ok$/,
    check: (out) => assert.equal(out, 'ok\n'),
  },
  {
    command: /^npx edge-dns --snapshot .* --dns 127\.0\.0\.1:1054 --doh 127\.0\.0\.1:8443 /,
    comment: /^$/,
    server: true,
  },
  {
    command: /^kdig @127\.0\.0\.1 -p 8443 \+https kubernetes\.default\.svc\.cluster\.local$/,
    comment: /A 10\.96\.0\.1, over DoH/,
    check: kubernetesA,
  },
  {
    command: /^dig @127\.0\.0\.1 -p 8443 \+https kubernetes\.default\.svc\.cluster\.local$/,
    comment: /the same with dig/,
    check: kubernetesA,
  },
  {
    command: /^curl --doh-url https:\/\/127\.0\.0\.1:8443\/dns-query .*127-0-0-1\.default\.pod/,
    comment: /resolves to 127\.0\.0\.1 over DoH.*: 10\.96\.0\.1$/,
    check: (out) =>
      assert.deepEqual(
        (JSON.parse(out) as { Answer: { data: string }[] }).Answer.map((a) => a.data),
        ['10.96.0.1'],
      ),
  },
];

const promiseOf = (example: ReadmeCommand) => {
  const promise = promises.find((p) => p.command.test(example.command));
  assert.ok(promise, `${README}: no check for \`${example.command}\` (add one here)`);
  assert.match(example.comment, promise.comment, example.command);
  return promise;
};

let server: Awaited<ReturnType<typeof startCommand>> | undefined;
let serverSkip: string | undefined;

before(async () => {
  serverSkip = (await busy(1054, true)) ?? (await busy(8443, false));
  if (serverSkip) return;
  const start = examples.find((e) => promiseOf(e).server);
  assert.ok(start, `${README} shows how to start the DoH server`);
  server = await startCommand(start.command, /^edge-dns ready:/);
});

after(async () => {
  await server?.stop();
});

test(`${README}: every example runs as written and answers as its comment says`, async (t) => {
  assert.equal(examples.length, promises.length, examples.map((e) => e.command).join('\n'));
  for (const example of examples) {
    const promise = promiseOf(example);
    if (promise.server) continue;
    await t.test(example.command, async (tt) => {
      const tool = example.command.split(' ')[0] as string;
      if (tool !== 'npx') {
        if (serverSkip) return tt.skip(serverSkip);
        const noTool = requireTool(tool);
        if (noTool) return tt.skip(noTool);
      }
      const { code, stdout, stderr } = await runCommand(example.command);
      assert.equal(code, 0, `${example.command}\n${stdout}${stderr}`);
      promise.check?.(stdout);
    });
  }
});
