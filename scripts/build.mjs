// One build script for every bundle (esbuild): the container, the sync job, the Lambda function
// (+ its deployable zip) and the Cloudflare Worker. Minified, with source maps; prints each size.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, join } from 'node:path';
import { edgePlugins } from './edge-trim.mjs';
import { zipFiles } from './zip.mjs';

// Where bundles go: dist/ unless the first argument names another folder (tests build elsewhere).
// Further arguments pick bundles by folder (container, sync, lambda, workers); none = all.
// `--analyze[=N]` prints each bundle's N (default 15) heaviest packages and folders.
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const [dist = 'dist', ...only] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const analyze = flags.map((f) => /^--analyze(?:=(\d+))?$/.exec(f)).find(Boolean);
const badFlag = flags.find((f) => !/^--analyze(?:=\d+)?$/.test(f));
if (badFlag) throw new Error(`unknown flag ${badFlag}: expected --analyze[=N]`);

// dns-packet is CommonJS and `require`s node's buffer: give an ESM bundle for Node a require.
const nodeRequire = {
  js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
};

const node = (target) => ({ platform: 'node', target, banner: nodeRequire });

// `edge-dns --version` in a bundle (common/config/version.ts): package.json's version, set here.
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const define = { EDGE_DNS_VERSION: JSON.stringify(version) };
// An edge Corefile bundled at build time (functions/entry/edge-corefile.ts): EDGE_DNS_COREFILE_FILE
// names it; its path is what errors name. Checked at the instance's init, as the variable is.
const corefileFile = process.env.EDGE_DNS_COREFILE_FILE;
if (corefileFile)
  define.EDGE_DNS_BUNDLED_COREFILE = JSON.stringify({
    file: corefileFile,
    text: readFileSync(corefileFile, 'utf8'),
  });

// Workers (workerd with the nodejs_compat flag): `node:*` modules are the runtime's own, so they
// stay imports. A CommonJS `require('buffer')` (dns-packet) cannot reach an external module from
// an ESM bundle, so it is pointed at a shim module that re-exports `node:buffer`.
const nodeBuiltins = new Set(builtinModules);
const requireNodeBuiltins = {
  name: 'require-node-builtins',
  setup(b) {
    b.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
      const bare = args.path.replace(/^node:/, '');
      if (!nodeBuiltins.has(bare)) return undefined;
      if (args.kind === 'require-call') return { path: bare, namespace: 'node-builtin' };
      return { path: `node:${bare}`, external: true };
    });
    b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
      contents: `export * from 'node:${args.path}';`,
      loader: 'js',
    }));
  },
};
const workers = {
  platform: 'browser',
  // The export conditions wrangler uses: packages pick their workerd/browser build (the AWS SDK's
  // browser runtime config sends requests with fetch).
  conditions: ['workerd', 'worker', 'browser'],
  target: 'es2022',
  external: ['cloudflare:*'],
  plugins: [requireNodeBuiltins],
};

const bundles = [
  { entry: 'functions/entry/container.ts', out: 'container/container.mjs', ...node('node20') },
  // The container's snapshot loader runs in a worker thread: a bundle of its own beside it.
  {
    entry: 'functions/entry/container-loader.ts',
    out: 'container/container-loader.mjs',
    ...node('node20'),
  },
  { entry: 'sync/main.ts', out: 'sync/sync.mjs', ...node('node20') },
  {
    entry: 'functions/entry/lambda.ts',
    out: 'lambda/lambda.mjs',
    ...node('node22'),
    // Nothing is taken from the runtime's node_modules: the bundle pins what was tested. The
    // packages' ES builds (`module`), so that esbuild drops what the function does not use.
    mainFields: ['module', 'main'],
    // An edge bundle (scripts/edge-trim.mjs): DynamoDB is read by signed fetches
    // (functions/store/dynamodb/http-reads.ts), credentials from the environment
    // (functions/entry/lambda.ts).
    edge: true,
    // No SDK client, credential chain or STS/SSO client; no zod (about 90 KB), which the edge
    // configuration does without (functions/entry/edge-config.ts).
    forbid: [
      /@aws-sdk\/client-dynamodb\//,
      /@aws-sdk\/nested-clients\//,
      /@aws-sdk\/credential-provider-(ini|sso|process|web-identity|http|login)\//,
      /\/zod\//,
    ],
    floorBytes: 240_000,
    zip: 'lambda/lambda.zip',
  },
  {
    entry: 'functions/entry/workers.ts',
    out: 'workers/workers.mjs',
    ...workers,
    edge: true,
    floorBytes: 230_000,
    // The SDK's Node request handler and credential chain must not be in the Worker: requests go
    // through fetch, and credentials come from the bindings. Nor zod (as the Lambda bundle).
    forbid: [
      /@aws-sdk\/client-dynamodb\//,
      /@smithy\/node-http-handler\//,
      /@aws-sdk\/credential-provider-node\//,
      /\/zod\//,
    ],
  },
];

const unknown = only.filter((name) => !bundles.some((b) => b.out.startsWith(`${name}/`)));
if (unknown.length)
  throw new Error(
    `unknown bundle ${unknown.join(', ')}: expected ${[...new Set(bundles.map((b) => b.out.split('/')[0]))].join(', ')}`,
  );

for (const {
  entry,
  out,
  floorBytes,
  zip,
  forbid = [],
  edge,
  plugins = [],
  ...options
} of bundles) {
  if (only.length && !only.includes(out.split('/')[0])) continue;
  const outfile = join(dist, out);
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'esm',
    metafile: true,
    logLevel: 'warning',
    define,
    ...options,
    plugins: [...plugins, ...(edge ? edgePlugins() : [])],
  });
  for (const input of Object.keys(result.metafile.inputs)) {
    const bad = forbid.find((re) => re.test(input));
    if (bad) throw new Error(`${outfile}: must not bundle ${input} (matches ${bad})`);
  }
  // What each input weighs (https://esbuild.github.io/analyze/ reads it), in dist/meta/: apart,
  // so that it ships in no image or artifact.
  mkdirSync(join(dist, 'meta'), { recursive: true });
  writeFileSync(join(dist, 'meta', `${basename(out)}.json`), JSON.stringify(result.metafile));
  const bytes = Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
  const floor = floorBytes
    ? `; floor ${floorBytes / 1000} KB: ${bytes < floorBytes ? 'ok' : 'OVER'}`
    : '';
  console.log(`${outfile}: ${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes${floor})`);
  if (analyze) console.log(heaviest(result.metafile, Number(analyze[1] ?? 15)));
  if (zip) {
    // The Lambda artifact: the bundle and its source map at the zip's root (handler lambda.handler).
    const files = [outfile, `${outfile}.map`].map((f) => ({
      name: basename(f),
      data: readFileSync(f),
    }));
    const archive = zipFiles(files);
    writeFileSync(join(dist, zip), archive);
    console.log(`${join(dist, zip)}: ${(archive.length / 1024).toFixed(1)} KiB`);
  }
}

/** The bundle's bytes by package (node_modules) or by source folder, heaviest first. */
function heaviest(metafile, count) {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint);
  const groups = new Map();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
    const key = pkg ?? (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : path);
    groups.set(key, (groups.get(key) ?? 0) + bytesInOutput);
  }
  return [...groups]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, bytes]) => `${String(bytes).padStart(9)}  ${key}`)
    .join('\n');
}
