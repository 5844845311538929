// bin/steller.js runs the bundle (dist/bundle/) when it is as new as the compiled code, and the
// bundle behaves as the compiled code does; output piped into a reader that stops early ends quietly.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonSchemaText } from '../../schemas/json-schema.js';
import { REPO, runCli, tempDir } from '../helpers/cli.js';

const scratch = tempDir('steller-entry-');
afterAll(() => scratch.cleanup());

/** A copy of bin/steller.js over a dist/ whose two entry points say which one ran. */
function fakeInstall(name: string, files: { compiled?: number; bundled?: number }): string {
  const root = join(scratch.dir, name);
  mkdirSync(join(root, 'bin'), { recursive: true });
  copyFileSync(join(REPO, 'bin/steller.js'), join(root, 'bin/steller.js'));
  for (const [which, path] of [['compiled', 'dist/cli/main.js'], ['bundled', 'dist/bundle/main.js']] as const) {
    const mtime = files[which];
    if (mtime === undefined) continue;
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), `process.stdout.write('${which}');\n`);
    utimesSync(join(root, path), mtime, mtime);
  }
  return root;
}

const runBin = (root: string) => spawnSync(process.execPath, [join(root, 'bin/steller.js')], { encoding: 'utf8' });

describe('bin/steller.js', () => {
  it('runs the bundle when it is as new as the compiled code', () => {
    expect(runBin(fakeInstall('fresh', { compiled: 1000, bundled: 1000 })).stdout).toBe('bundled');
    expect(runBin(fakeInstall('newer', { compiled: 1000, bundled: 2000 })).stdout).toBe('bundled');
  });

  it('runs the compiled code when the bundle is older (tsc was run alone) or missing', () => {
    expect(runBin(fakeInstall('stale', { compiled: 2000, bundled: 1000 })).stdout).toBe('compiled');
    expect(runBin(fakeInstall('unbundled', { compiled: 1000 })).stdout).toBe('compiled');
  });

  it('says what to run when nothing was compiled', () => {
    const result = runBin(fakeInstall('bare', {}));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/dist\/ is missing; run `npm ci`/);
  });
});

describe('the bundle', () => {
  it('is what `npm test` built, and renders the example catalog as the compiled code does', () => {
    expect(existsSync(join(REPO, 'dist/bundle/main.js'))).toBe(true);
    const bundled = join(scratch.dir, 'out-bundled');
    const compiled = join(scratch.dir, 'out-compiled');
    expect(runCli(['build', '--out', bundled, '--no-cache']).status).toBe(0);
    const result = spawnSync(process.execPath, [join(REPO, 'dist/cli/main.js'), 'build', '--out', compiled, '--no-cache'], { cwd: REPO, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const files = (dir: string) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length)).sort();
    expect(files(bundled)).toEqual(files(compiled));
    for (const file of files(compiled)) expect(readFileSync(join(bundled, file)), file).toEqual(readFileSync(join(compiled, file)));
  });
});

describe('the CLI\'s output', () => {
  it('`steller schema` prints the dataset JSON Schema', () => {
    const result = runCli(['schema']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(jsonSchemaText('dataset.schema.json'));
  });

  it('ends quietly when its reader closes the pipe early (`steller schema | head`)', async () => {
    const child = spawn(process.execPath, [join(REPO, 'bin/steller.js'), 'schema'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Closed before the CLI writes a byte, so that its write fails as `head`'s early exit makes it.
    child.stdout.destroy();
    const status = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });
});
