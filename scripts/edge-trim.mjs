// What makes the edge bundles (Lambda, Workers; scripts/build.mjs) small: the budgets
// (docs/architecture.md §7) are a Lambda bundle under 400 KB with a cold import under 120 ms,
// and a Workers bundle under 250 KB.
// The edge bundles no longer carry the AWS SDK client (DynamoDB reads are signed fetches,
// functions/store/dynamodb/http-reads.ts), so they pass no stubs today; the stubs stay for a bundle
// that takes an SDK client again: only code it imports but never runs is replaced.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// SDK modules replaced by small stand-ins (scripts/stubs/*.mjs; each says why it is safe there).
// Matched on the path esbuild resolved, so a bare import, a relative one and a dynamic import()
// all land on the stub. `unusedStubs` lists those that matched nothing: the SDK's layout changed,
// look again rather than silently ship the bytes.
export const stubs = {
  eventStreams: {
    module: /\/@smithy\/core\/dist-es\/submodules\/event-streams\/index(\.browser)?\.js$/,
    with: 'event-streams.mjs',
  },
  endpointCache: {
    module: /\/@aws-sdk\/endpoint-cache\/dist-es\/index\.js$/,
    with: 'endpoint-cache.mjs',
  },
  credentialChain: {
    module: /\/@aws-sdk\/credential-provider-node\/dist-es\/index\.js$/,
    with: 'credential-chain.mjs',
  },
  sha256Js: {
    module: /\/@smithy\/core\/dist-es\/submodules\/checksum\/sha256\/Sha256Js\.js$/,
    with: 'sha256-js.mjs',
  },
  adaptiveRetry: {
    module: /\/@smithy\/core\/dist-es\/submodules\/retry\/util-retry\/AdaptiveRetryStrategy\.js$/,
    with: 'adaptive-retry.mjs',
  },
};
/** Import paths that may name a stubbed module: only these are resolved twice. */
const MAYBE_STUBBED =
  /event-streams|endpoint-cache|credential-provider-node|Sha256Js|AdaptiveRetryStrategy/;
const stubsDir = fileURLToPath(new URL('stubs/', import.meta.url));

const stubModules = (list) => ({
  name: 'stub-modules',
  setup(b) {
    b.onResolve({ filter: MAYBE_STUBBED }, async (args) => {
      if (args.pluginData?.stubbing) return undefined;
      const { path, pluginData, ...rest } = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { stubbing: true },
      });
      const stub = list.find((s) => s.module.test(path));
      return stub ? { path: join(stubsDir, stub.with) } : { path, ...rest };
    });
  },
});

/** The stubs of `list` that replaced nothing in a build (its metafile). */
export function unusedStubs(list, metafile) {
  return list.filter((stub) => !(`scripts/stubs/${stub.with}` in metafile.inputs));
}

// hono's `hono/tiny` preset: the same Hono class with the PatternRouter (one regular expression
// per route) instead of the SmartRouter's RegExpRouter + TrieRouter, about 5 KB less (hono docs,
// "Presets": for size-constrained environments). The DoH app (functions/doh/app.ts) has a handful
// of routes, matched in the same order. Only the bare `hono` import: `hono/cors` and others stay.
const honoTiny = {
  name: 'hono-tiny',
  setup(b) {
    b.onResolve({ filter: /^hono$/ }, (args) =>
      b.resolve('hono/tiny', {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
      }),
    );
  },
};

// The SDK bundles each client's package.json whole for the one field it reads (the version, for
// the User-Agent header; about 2.4 KB): keep that field only.
const packageVersionOnly = {
  name: 'package-version-only',
  setup(b) {
    b.onLoad({ filter: /\/node_modules\/@aws-sdk\/[^/]+\/package\.json$/ }, (args) => ({
      contents: JSON.stringify({ version: JSON.parse(readFileSync(args.path, 'utf8')).version }),
      loader: 'json',
    }));
  },
};

/** The esbuild plugins of an edge bundle, with the SDK modules of `list` (from `stubs`) stubbed. */
export function edgePlugins(list) {
  return [stubModules(list), honoTiny, packageVersionOnly];
}
