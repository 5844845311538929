// The CLI run without blocking this process: needed when the test itself serves what the CLI
// talks to (the loopback GitHub), which a spawnSync would freeze.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO, type CliResult } from '../../helpers/cli.js';

export function runCliAsync(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'bin/steller.js'), ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}
