// One build script for every bundle (esbuild): the container and the sync job.
import { build } from 'esbuild';
import { join } from 'node:path';

// Where bundles go: dist/ unless the first argument names another folder (tests build elsewhere).
const dist = process.argv[2] ?? 'dist';

const bundles = [
  { entry: 'functions/entry/container.ts', out: 'container/container.mjs', platform: 'node' },
  // The container's snapshot loader runs in a worker thread: a bundle of its own beside it.
  { entry: 'functions/entry/container-loader.ts', out: 'container/container-loader.mjs', platform: 'node' },
  { entry: 'sync/main.ts', out: 'sync/sync.mjs', platform: 'node' },
];

for (const b of bundles) {
  const result = await build({
    entryPoints: [b.entry],
    outfile: join(dist, b.out),
    bundle: true,
    minify: true,
    sourcemap: true,
    platform: b.platform,
    target: 'node20',
    format: 'esm',
    // dns-packet is CommonJS and `require`s node's buffer: give the ESM bundle a require.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    metafile: true,
    logLevel: 'warning',
  });
  const bytes = Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
  console.log(`${join(dist, b.out)}: ${(bytes / 1024).toFixed(1)} KiB`);
}
