// `steller build` end to end: the Kubernetes and Argo CD files land in out/; jobs reused from the
// build cache (their names left open) equal a cold build even when a new dataset renames one; and
// a catalog with a credential pasted into it writes nothing at all.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTree } from '../../core/output.js';
import { copyExampleCatalog, runCli, tempDir } from '../helpers/cli.js';

const scratch = tempDir('steller-k8s-cli-');
afterAll(() => scratch.cleanup());

function k8sFiles(out: string): Record<string, string> {
  return Object.fromEntries([...readTree(out)].filter(([path]) => path.startsWith('k8s/')));
}

describe('steller build', () => {
  const catalog = copyExampleCatalog(join(scratch.dir, 'ok'));
  const cache = join(scratch.dir, 'cache');
  const warm = join(scratch.dir, 'warm');

  it('writes out/k8s/<namespace>/ with its kustomization.yaml, and out/argocd/applications.yaml', () => {
    const result = runCli(['build', '--catalog', catalog, '--out', warm, '--cache-dir', cache]);
    expect(result.status, result.stderr).toBe(0);
    const kustomization = readFileSync(join(warm, 'k8s/sea-eagle/kustomization.yaml'), 'utf8');
    for (const file of kustomization.match(/^ {2}- (.+)$/gm) ?? []) expect(existsSync(join(warm, 'k8s/sea-eagle', file.slice(4)))).toBe(true);
    expect(readFileSync(join(warm, 'argocd/applications.yaml'), 'utf8')).toContain('path: k8s/sea-eagle');
    expect(k8sFiles(warm)['k8s/sea-eagle/harvest.yaml']).toContain('name: a01-met\n');
  });

  it('from the cache, equals a cold build after a new dataset takes an existing job name', () => {
    // `a01-met` is already a valid name, so it claims it and A01_met gets a hashed one.
    writeFileSync(join(catalog, 'datasets/buoys/a01-met.yaml'), 'title: A01 met, mirrored\nschedule: "H * * * *"\n');
    const rebuilt = runCli(['build', '--catalog', catalog, '--out', warm, '--cache-dir', cache]);
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    const cold = join(scratch.dir, 'cold');
    expect(runCli(['build', '--catalog', catalog, '--out', cold, '--no-cache']).status).toBe(0);
    expect(k8sFiles(warm)).toEqual(k8sFiles(cold));
    expect(k8sFiles(warm)['k8s/sea-eagle/harvest.yaml']).toMatch(/name: a01-met-[0-9a-f]{6}\n/);
  });

  it('writes nothing when a secret value is pasted into the catalog', () => {
    const leaky = copyExampleCatalog(join(scratch.dir, 'leaky'));
    const file = join(leaky, 'datasets/ports/PORTS_CC_realtime.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('key: /sea-eagle/coops/api_key', 'key: ghp_0123456789abcdefghijABCDEFGHIJ0123456789'));
    const out = join(scratch.dir, 'leaky-out');
    const result = runCli(['build', '--catalog', leaky, '--out', out, '--no-cache']);
    expect(result.status).toBe(1);
    expect(result.stdout + result.stderr).toContain('inline-secret');
    expect(existsSync(out)).toBe(false);
  });
});
