// Running git: the only place steller starts it. Output is bytes; errors carry git's own message,
// scrubbed of credentials. Steller writes objects with plumbing (fast-import, ls-tree), which
// applies no filters, so what git stores is exactly what was rendered.
import { spawn } from 'node:child_process';
import { PublishError } from './scrub.js';

export interface GitOptions {
  cwd?: string;
  input?: string | Buffer;
  env?: Record<string, string>;
  /** Exit codes that are answers, not failures (e.g. 1 from merge-base --is-ancestor). */
  okCodes?: readonly number[];
}

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

// Only settings of our own scratch repositories: `-c` reaches a local receive-pack too, so
// nothing here may weaken the target repository's own rules (its hooks stay in force).
const NEUTRAL_CONFIG = ['-c', 'init.defaultBranch=main'];

export function git(args: readonly string[], options: GitOptions = {}): Promise<GitResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', [...NEUTRAL_CONFIG, ...args], {
      cwd: options.cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new PublishError(`cannot run git: ${error.message} (is git installed?)`)));
    child.on('close', (code) => {
      const result = { stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), code: code ?? -1 };
      if (result.code === 0 || options.okCodes?.includes(result.code)) resolvePromise(result);
      else reject(new PublishError(`git ${args[0]} failed: ${result.stderr.trim() || `exit code ${result.code}`}`));
    });
    child.stdin.on('error', () => { /* git may exit before reading all input; its exit code tells */ });
    child.stdin.end(options.input ?? '');
  });
}

export async function gitText(args: readonly string[], options: GitOptions = {}): Promise<string> {
  return (await git(args, options)).stdout.toString('utf8').trim();
}

export interface TreeEntry {
  mode: string;
  type: string;
  sha: string;
  path: string;
}

/** Every entry of a commit's tree, recursively (`git ls-tree -r -z`). */
export async function listGitTree(gitDir: string, commit: string, prefix = ''): Promise<TreeEntry[]> {
  const args = ['--git-dir', gitDir, 'ls-tree', '-r', '-z', '--full-tree', commit];
  if (prefix) args.push('--', prefix);
  const { stdout } = await git(args);
  return stdout.toString('utf8').split('\0').filter(Boolean).map((line) => {
    const tab = line.indexOf('\t');
    const [mode, type, sha] = line.slice(0, tab).split(' ');
    return { mode, type, sha, path: line.slice(tab + 1) };
  });
}

/** The contents of many blobs in one `git cat-file --batch`. */
export async function readBlobs(gitDir: string, shas: readonly string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(shas)];
  const out = new Map<string, Buffer>();
  if (unique.length === 0) return out;
  const { stdout } = await git(['--git-dir', gitDir, 'cat-file', '--batch'], { input: `${unique.join('\n')}\n` });
  let at = 0;
  for (const sha of unique) {
    const headerEnd = stdout.indexOf(10, at);
    const header = stdout.subarray(at, headerEnd).toString('utf8').split(' ');
    if (header[1] === 'missing') throw new PublishError(`git object ${sha} is missing`);
    const size = Number(header[2]);
    out.set(sha, stdout.subarray(headerEnd + 1, headerEnd + 1 + size));
    at = headerEnd + 1 + size + 1;
  }
  return out;
}
