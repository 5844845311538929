#!/usr/bin/env node
// The CLI is written in TypeScript, compiled to dist/ and bundled into dist/bundle/ by `npm ci`
// (the `prepare` script). A bundle older than the compiled code (`tsc` run alone) is not used.
import { existsSync, statSync } from 'node:fs';
const compiled = new URL('../dist/cli/main.js', import.meta.url);
const bundled = new URL('../dist/bundle/main.js', import.meta.url);
if (!existsSync(compiled)) {
  process.stderr.write('steller: dist/ is missing; run `npm ci` (or `npm run build:ts`) first.\n');
  process.exit(2);
}
const fresh = existsSync(bundled) && statSync(bundled).mtimeMs >= statSync(compiled).mtimeMs;
await import((fresh ? bundled : compiled).href);
