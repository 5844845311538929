// Bundles the compiled CLI (dist/cli/main.js) and the libraries it loads into a few files in
// dist/bundle/, which bin/steller.js runs. Node 20 resolves and compiles each of the ~400 ES and
// CommonJS modules behind a build one by one; bundled, a small catalog's build starts about
// 0.2 s sooner and a one-dataset patch about 50 ms sooner. Commands still load their modules
// only when they run: each dynamic import becomes a chunk of its own.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BUNDLE_DIR = fileURLToPath(new URL('../bundle/', import.meta.url));

rmSync(BUNDLE_DIR, { recursive: true, force: true });
// esbuild is a native binary per platform: where npm could not install one, the CLI runs
// unbundled (bin/steller.js finds no bundle), only slower to start. test/cli/entry.test.ts
// checks that the bundle was made where the tests run.
try {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [fileURLToPath(new URL('./main.js', import.meta.url))],
    outdir: BUNDLE_DIR,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // CommonJS libraries inside an ES module still call require() for Node's own modules.
    banner: { js: "import { createRequire as __stellerRequire } from 'node:module'; const require = __stellerRequire(import.meta.url);" },
    // Hashed chunk names follow the content, so two bundles of the same code are the same files.
    chunkNames: 'chunk-[hash]',
    logLevel: 'warning',
  });
} catch (error) {
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  process.stderr.write(`note: the CLI was not bundled (${(error as Error).message.split('\n')[0]}); steller runs unbundled, starting 50-200 ms slower\n`);
}
