// `steller build` end to end: the Kubernetes and Argo CD files land in out/, and a catalog with a
// credential pasted into it writes nothing at all.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyExampleCatalog, runCli, tempDir } from '../helpers/cli.js';

const scratch = tempDir('steller-k8s-cli-');
afterAll(() => scratch.cleanup());

describe('steller build', () => {
  it('writes out/k8s/<namespace>/ with its kustomization.yaml, and out/argocd/applications.yaml', () => {
    const out = join(scratch.dir, 'out');
    const result = runCli(['build', '--catalog', copyExampleCatalog(join(scratch.dir, 'ok')), '--out', out, '--no-cache']);
    expect(result.status, result.stderr).toBe(0);
    const kustomization = readFileSync(join(out, 'k8s/sea-eagle/kustomization.yaml'), 'utf8');
    for (const file of kustomization.match(/^ {2}- (.+)$/gm) ?? []) expect(existsSync(join(out, 'k8s/sea-eagle', file.slice(4)))).toBe(true);
    expect(readFileSync(join(out, 'argocd/applications.yaml'), 'utf8')).toContain('path: k8s/sea-eagle');
  });

  it('writes nothing when a secret value is pasted into the catalog', () => {
    const catalog = copyExampleCatalog(join(scratch.dir, 'leaky'));
    const file = join(catalog, 'datasets/ports/PORTS_CC_realtime.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('key: /sea-eagle/coops/api_key', 'key: ghp_0123456789abcdefghijABCDEFGHIJ0123456789'));
    const out = join(scratch.dir, 'leaky-out');
    const result = runCli(['build', '--catalog', catalog, '--out', out, '--no-cache']);
    expect(result.status).toBe(1);
    expect(result.stdout + result.stderr).toContain('inline-secret');
    expect(existsSync(out)).toBe(false);
  });
});
