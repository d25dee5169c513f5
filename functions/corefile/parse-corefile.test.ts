import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corefileOutline } from './corefile-outline.ts';
import { memoryCorefileIo } from './memory-io.ts';
import { parseCorefile } from './parse-corefile.ts';

const parse = (text: string, files: Record<string, string> = {}, env = {}) =>
  parseCorefile(text, 'Corefile', { ...memoryCorefileIo(files), env });

/** CoreDNS's Corefile in Kubernetes (kubeadm's, with AKS's custom imports). */
const KUBERNETES = `(common) {
  errors
  log
  health {
    lameduck 5s
  }
  ready
  prometheus :9153
  cache 30
  reload
  loadbalance
}
cluster.local:53 {
  import common
  kubernetes cluster.local in-addr.arpa ip6.arpa {
    pods insecure
    fallthrough in-addr.arpa ip6.arpa
  }
}
.:53 {
  import common
  hosts /etc/coredns/NodeHosts {
    ttl 60
    reload 15s
    fallthrough
  }
  forward . /etc/resolv.conf
}
import /etc/coredns/custom/*.server
`;

const COMMON = `  errors
  log
  health
    lameduck 5s
  ready
  prometheus :9153
  cache 30
  reload
  loadbalance`;

const KUBERNETES_OUTLINE = `dns://cluster.local.:53
${COMMON}
  kubernetes cluster.local in-addr.arpa ip6.arpa
    pods insecure
    fallthrough in-addr.arpa ip6.arpa
dns://.:53
${COMMON}
  hosts /etc/coredns/NodeHosts
    ttl 60
    reload 15s
    fallthrough
  forward . /etc/resolv.conf`;

test('good Corefiles -> server blocks, keys and directives', () => {
  const table: [what: string, text: string, outline: string][] = [
    ['empty', '', ''],
    ['comments only', '# nothing\n  # here\n', ''],
    ["Kubernetes' Corefile, no custom files", KUBERNETES, KUBERNETES_OUTLINE],
    [
      'one block',
      '.:53 {\n  forward . 8.8.8.8 9.9.9.9\n}',
      'dns://.:53\n  forward . 8.8.8.8 9.9.9.9',
    ],
    [
      'keys by spaces',
      'example.org example.net:1053 {\n  log\n}',
      'dns://example.org. dns://example.net.:1053\n  log',
    ],
    [
      'keys by commas, over lines',
      'a.org, b.org,\n  c.org,d.org {\n  log\n}',
      'dns://a.org. dns://b.org. dns://c.org. dns://d.org.\n  log',
    ],
    ['the { on the next line', 'example.org\n{\n  log\n}', 'dns://example.org.\n  log'],
    ['no braces: to the end (one server)', '.:1053\nlog\nerrors', 'dns://.:1053\n  log\n  errors'],
    ['keys alone', 'example.org', 'dns://example.org.'],
    ['an empty server block', 'example.org {\n}', 'dns://example.org.'],
    ['an empty plugin block', '. {\n  health {\n  }\n}', 'dns://.\n  health {}'],
    [
      'a sub-directive on the { line',
      '. {\n  health { lameduck 5s\n  }\n}',
      'dns://.\n  health\n    lameduck 5s',
    ],
    ['} after a directive closes its block', '.:53 {\n  errors }', 'dns://.:53\n  errors'],
    [
      '} } on one line',
      '. {\n  health {\n    lameduck 5s\n  } }',
      'dns://.\n  health\n    lameduck 5s',
    ],
    [
      'quoted arguments',
      '. {\n  template IN A example.org {\n    answer "{{ .Name }} 60 IN A 127.0.0.1"\n  }\n}',
      'dns://.\n  template IN A example.org\n    answer "{{ .Name }} 60 IN A 127.0.0.1"',
    ],
    [
      'quoted braces and import are words',
      '. {\n  log "{" "}" "import" ""\n}',
      'dns://.\n  log { } import ""',
    ],
    [
      'import in the middle of a line is a word',
      '. {\n  hosts import\n}',
      'dns://.\n  hosts import',
    ],
    [
      'comments everywhere',
      '# top\n.:53 { # open\n  errors # the errors plugin\n  # a whole line\n  cache 30#no space\n} # close',
      'dns://.:53\n  errors\n  cache 30',
    ],
    [
      'reverse zones from CIDRs',
      '10.0.0.0/24 2001:db8::/32:1053 172.16.0.0/15 {\n  log\n}',
      'dns://0.0.10.in-addr.arpa. dns://8.b.d.0.1.0.0.2.ip6.arpa.:1053 dns://16.172.in-addr.arpa. dns://17.172.in-addr.arpa.\n  log',
    ],
    [
      'schemes',
      'tls://.:853 https://example.org grpc://. quic://. {\n}',
      'tls://.:853 https://example.org. grpc://. quic://.',
    ],
    [
      'two blocks, CRLF',
      '.:53 {\r\n  errors\r\n}\r\nexample.org:1053 {\r\n  log\r\n}\r\n',
      'dns://.:53\n  errors\ndns://example.org.:1053\n  log',
    ],
    ['the same zone on two ports', '.:53 {\n}\n.:1053 {\n}', 'dns://.:53\ndns://.:1053'],
    [
      'plugins stay in written order (inPluginOrder sorts them)',
      '. {\n  forward . 1.1.1.1\n  cache\n  log\n}',
      'dns://.\n  forward . 1.1.1.1\n  cache\n  log',
    ],
  ];
  for (const [what, text, outline] of table)
    assert.equal(corefileOutline(parse(text)), outline, what);
});

test('{$NAME} and {%NAME%} from the env given; unset is empty', () => {
  const env = { ZONE: 'Example.ORG', PORT: '1053', UPSTREAM: '10.0.0.10', EMPTY: '' };
  const table: [text: string, outline: string][] = [
    [
      '{$ZONE}:{$PORT} {\n  forward . {$UPSTREAM}\n}',
      'dns://example.org.:1053\n  forward . 10.0.0.10',
    ],
    [
      '{%ZONE%} {\n  forward . "{$UPSTREAM} {$UNSET}x"\n}',
      'dns://example.org.\n  forward . "10.0.0.10 x"',
    ],
    ['{$UNSET}:1053 {\n}', 'dns://.:1053'],
    ['. {$EMPTY} {\n}', 'dns://.'], // an empty key is skipped, as CoreDNS skips it
    ['. {\n  log {$UNSET}\n}', 'dns://.\n  log ""'],
  ];
  for (const [text, outline] of table)
    assert.equal(corefileOutline(parse(text, {}, env)), outline, text);
});

test('the custom servers of the Kubernetes Corefile, through a glob', () => {
  const files = {
    '/etc/coredns/custom/b.server': 'corp.example:53 {\n  forward . 10.0.0.53\n}\n',
    '/etc/coredns/custom/a.server': '# comment only\n',
    '/etc/coredns/custom/a.override': 'log\n',
  };
  const corefile = parse(KUBERNETES, files);
  assert.equal(
    corefileOutline(corefile),
    `${KUBERNETES_OUTLINE}\ndns://corp.example.:53\n  forward . 10.0.0.53`,
  );
  assert.deepEqual(corefile.files, [
    'Corefile',
    '/etc/coredns/custom/a.server',
    '/etc/coredns/custom/b.server',
  ]);
  const [, , custom] = corefile.servers;
  assert.deepEqual(
    [custom?.file, custom?.line, custom?.directives[0]?.file, custom?.directives[0]?.line],
    ['/etc/coredns/custom/b.server', 1, '/etc/coredns/custom/b.server', 2],
  );
});

test('directives and servers keep their file and line; a snippet its own lines', () => {
  const corefile = parse(KUBERNETES);
  assert.deepEqual(
    corefile.servers.map((s) => `${s.file}:${s.line}`),
    ['Corefile:13', 'Corefile:20'],
  );
  assert.equal(
    corefileOutline(corefile, true).split('\n').slice(0, 7).join('\n'),
    `dns://cluster.local.:53
  errors @Corefile:2
  log @Corefile:3
  health @Corefile:4
    lameduck 5s @Corefile:5
  ready @Corefile:7
  prometheus :9153 @Corefile:8`,
  );
});
