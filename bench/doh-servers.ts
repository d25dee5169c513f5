// The four DoH servers `npm run bench:doh` puts side by side, each started on the server core:
// edge-dns (the container bundle with the image's flags), the minimal Node server
// (minimal-doh.ts), the canned Node server (ceiling-doh.ts) and unbound (unbound-doh.ts).
import type { ChildProcess } from 'node:child_process';
import type { NameNode } from '../functions/core/record.ts';
import { containerNodeFlags } from './image-flags.ts';
import { pinnedCommand, startServer } from './proc.ts';
import { startUnboundDoh } from './unbound-doh.ts';

export type ServerName = 'edge-dns' | 'minimal' | 'canned' | 'unbound';

export interface RunningServer {
  child: ChildProcess;
  pid: number;
  url: string;
}

export interface ServerSetup {
  root: string;
  dir: string;
  snapshot: string;
  nodes: () => Iterable<NameNode>;
  core: number | undefined;
  /** The young generation of the Node servers, MiB (`--max-semi-space-size`). */
  semiSpace: string;
  /** More Node flags for edge-dns (bench/doh.ts --edge-flags). */
  edgeFlags: string[];
}

const TLS = [
  '--doh-cert',
  'test/fixtures/tls/localhost.crt',
  '--doh-key',
  'test/fixtures/tls/localhost.key',
];
let unboundPort = 18_000 + (process.pid % 2000);

export async function startDohServer(name: ServerName, s: ServerSetup): Promise<RunningServer> {
  const semi = `--max-semi-space-size=${s.semiSpace}`;
  const node = async (args: string[], ready: RegExp): Promise<RunningServer> => {
    const [cmd, full] = pinnedCommand(s.core, process.execPath, args);
    const started = await startServer(cmd, full, ready, 600_000, s.root);
    return { child: started.child, pid: started.pid, url: started.match[1]! };
  };
  switch (name) {
    case 'edge-dns':
      // After the image's flags (the later flag wins), what infra/container/Dockerfile advises for
      // DoH at high rates: the young generation, an old generation that may grow, and no GC helper
      // threads competing for the one core (bench/README.md, the DoH tail).
      return node(
        [
          ...containerNodeFlags(s.root),
          semi,
          '--max-old-space-size=1536',
          '--single-threaded-gc',
          ...s.edgeFlags,
          'dist/container/container.mjs',
          '--snapshot',
          s.snapshot,
          '--dns',
          '127.0.0.1:0',
          '--doh',
          '127.0.0.1:0',
          ...TLS,
        ],
        /^edge-dns DoH on (https:\/\/127\.0\.0\.1:\d+)\/dns-query/,
      );
    case 'minimal':
      return node(
        [semi, '--import', 'tsx', 'bench/minimal-doh.ts', s.snapshot],
        /^minimal ready: (https:\/\/127\.0\.0\.1:\d+)/,
      );
    case 'canned':
      return node(
        [semi, '--import', 'tsx', 'bench/ceiling-doh.ts'],
        /^ceiling ready: (https:\/\/127\.0\.0\.1:\d+)/,
      );
    case 'unbound':
      return startUnboundDoh({
        dir: s.dir,
        nodes: s.nodes(),
        zones: ['cluster.local'],
        port: unboundPort++,
        core: s.core,
        root: s.root,
      });
  }
}
