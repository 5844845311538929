#!/usr/bin/env node
// The CLI is written in TypeScript and compiled to dist/ by `npm ci` (the `prepare` script).
import { existsSync } from 'node:fs';
const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('steller: dist/ is missing; run `npm ci` (or `npm run build:ts`) first.\n');
  process.exit(2);
}
await import(entry.href);
