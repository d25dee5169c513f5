// What keeps the edge bundles (Lambda, Workers; scripts/build.mjs) small: the budgets
// (docs/architecture.md §7) are a Lambda bundle under 240 KB with a cold import under 120 ms,
// and a Workers bundle under 230 KB. DynamoDB is read by signed fetches
// (functions/store/dynamodb/http-reads.ts), so no SDK client is bundled; build.mjs forbids it.

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

/** The esbuild plugins of an edge bundle. */
export function edgePlugins() {
  return [honoTiny];
}
