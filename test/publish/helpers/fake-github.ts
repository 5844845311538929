// A loopback stand-in for the GitHub REST endpoints publish uses, backed by a real bare git
// repository (plumbing: hash-object, read-tree/update-index/write-tree, commit-tree, update-ref),
// so every object it hands out is a real git object and every ref move is checked as GitHub
// checks it (422 on a non-fast-forward update, 409 on writes to an empty repository).
// Tests inject failures (`faults`) and concurrent pushes (`beforeRequest`).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { git, gitText } from '../../../core/publish/git-run.js';

export interface Fault {
  method: string;
  path: RegExp;
  /** How many matching requests get this answer. */
  times: number;
  status: number;
  headers?: Record<string, string>;
  message: string;
  /** Do the work first, then answer with the failure (a timeout after the write landed). */
  afterHandling?: boolean;
}

export interface PullRequest {
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
}

export interface FakeGitHub {
  baseUrl: string;
  gitDir: string;
  token: string;
  faults: Fault[];
  /** Every request answered, as "METHOD /path" (faults included). */
  log: string[];
  pulls: PullRequest[];
  /** Answer recursive tree listings as GitHub does past 100,000 entries: truncated. */
  truncateRecursiveTrees?: boolean;
  /** Runs before a request is handled; return true to remove the hook. */
  beforeRequest?: (method: string, path: string) => Promise<boolean>;
  close(): Promise<void>;
}

const AUTHOR = { GIT_AUTHOR_NAME: 'GitHub', GIT_AUTHOR_EMAIL: 'noreply@github.com', GIT_COMMITTER_NAME: 'GitHub', GIT_COMMITTER_EMAIL: 'noreply@github.com' };
const ZERO = '0'.repeat(40);

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function startFakeGitHub(options: { owner?: string; repo?: string; token?: string } = {}): Promise<FakeGitHub> {
  const gitDir = mkdtempSync(join(tmpdir(), 'steller-fake-github-'));
  await git(['init', '--quiet', '--bare', gitDir]);
  const prefix = `/repos/${options.owner ?? 'neracoos'}/${options.repo ?? 'service-config'}`;
  const fake: FakeGitHub = { baseUrl: '', gitDir, token: options.token ?? 'ghp_testtoken0123456789', faults: [], log: [], pulls: [], close: async () => {} };
  let queue: Promise<void> = Promise.resolve();
  const server = createServer((req, res) => {
    // One request at a time, like a consistent server: ref checks cannot interleave.
    queue = queue.then(() => answer(req, res, fake, prefix)).catch(() => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(gitDir, { recursive: true, force: true });
  };
  return fake;
}

async function answer(req: IncomingMessage, res: ServerResponse, fake: FakeGitHub, prefix: string): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = decodeURIComponent(url.pathname);
  const method = req.method ?? 'GET';
  const body = await readBody(req);
  fake.log.push(`${method} ${path}`);
  const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(data));
  };
  // Like a careless proxy, the 401 echoes what it got: whoever prints it must scrub it.
  if (req.headers.authorization !== `token ${fake.token}`) return send(401, { message: `Bad credentials (got "${req.headers.authorization ?? ''}")` });
  const fault = fake.faults.find((f) => f.times > 0 && f.method === method && f.path.test(path));
  if (fault) fault.times--;
  if (fault && !fault.afterHandling) return send(fault.status, { message: fault.message }, fault.headers);
  if (fake.beforeRequest && (await fake.beforeRequest(method, path))) fake.beforeRequest = undefined;
  if (!path.startsWith(prefix)) return send(404, { message: 'Not Found' });
  let answer: [number, unknown];
  try {
    answer = await route(method, path.slice(prefix.length), url.searchParams, body, fake);
  } catch (error) {
    answer = [error instanceof HttpError ? error.status : 500, { message: (error as Error).message }];
  }
  if (fault) send(fault.status, { message: fault.message }, fault.headers);
  else send(...answer);
}

function readBody(req: IncomingMessage): Promise<any> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve(text ? JSON.parse(text) : {});
    });
  });
}

async function route(method: string, path: string, query: URLSearchParams, body: any, fake: FakeGitHub): Promise<[number, unknown]> {
  const g = (args: string[], input?: string | Buffer, env?: Record<string, string>) => gitText(['--git-dir', fake.gitDir, ...args], { input, env });
  const isEmpty = async () => !hasRefs(fake.gitDir);
  const refSha = async (ref: string) => readRef(fake.gitDir, ref);
  const requireContent = async () => {
    if (await isEmpty()) throw new HttpError(409, 'Git Repository is empty.');
  };
  let m: RegExpMatchArray | null;

  if (method === 'GET' && (m = path.match(/^\/git\/ref\/(.+)$/))) {
    if (await isEmpty()) throw new HttpError(409, 'Git Repository is empty.');
    const sha = await refSha(`refs/${m[1]}`);
    if (!sha) throw new HttpError(404, 'Not Found');
    return [200, { ref: `refs/${m[1]}`, object: { sha, type: 'commit' } }];
  }
  if (method === 'GET' && (m = path.match(/^\/git\/commits\/([0-9a-f]{40})$/))) {
    const [tree, parents, message] = (await g(['show', '-s', '--format=%T%n%P%n%B', m[1]])).split('\n');
    return [200, { sha: m[1], tree: { sha: tree }, parents: parents.split(' ').filter(Boolean).map((sha) => ({ sha })), message }];
  }
  if (method === 'GET' && (m = path.match(/^\/git\/trees\/([0-9a-f]{40})$/))) {
    const recursive = query.has('recursive');
    const listing = await g(['ls-tree', ...(recursive ? ['-r', '-t'] : []), '-z', m[1]]);
    const tree = listing.split('\0').filter(Boolean).map((line) => {
      const tab = line.indexOf('\t');
      const [mode, type, sha] = line.slice(0, tab).split(' ');
      return { path: line.slice(tab + 1), mode, type, sha };
    });
    if (recursive && fake.truncateRecursiveTrees) return [200, { sha: m[1], tree: tree.slice(0, Math.ceil(tree.length / 2)), truncated: true }];
    return [200, { sha: m[1], tree, truncated: false }];
  }
  if (method === 'GET' && (m = path.match(/^\/git\/blobs\/([0-9a-f]{40})$/))) {
    const { stdout } = await git(['--git-dir', fake.gitDir, 'cat-file', 'blob', m[1]]);
    return [200, { sha: m[1], content: stdout.toString('base64'), encoding: 'base64', size: stdout.length }];
  }
  if (method === 'POST' && path === '/git/blobs') {
    await requireContent();
    const bytes = Buffer.from(body.content, body.encoding === 'base64' ? 'base64' : 'utf8');
    return [201, { sha: writeBlob(fake.gitDir, bytes) }];
  }
  if (method === 'POST' && path === '/git/trees') {
    await requireContent();
    return [201, { sha: await writeTree(fake.gitDir, body) }];
  }
  if (method === 'POST' && path === '/git/commits') {
    await requireContent();
    const parents = (body.parents as string[]).flatMap((p) => ['-p', p]);
    const sha = await g(['commit-tree', body.tree, ...parents], body.message, AUTHOR);
    return [201, { sha, tree: { sha: body.tree }, parents: body.parents.map((p: string) => ({ sha: p })) }];
  }
  if (method === 'PATCH' && (m = path.match(/^\/git\/refs\/(.+)$/))) {
    const ref = `refs/${m[1]}`;
    const current = await refSha(ref);
    if (!current) throw new HttpError(422, 'Reference does not exist');
    const fastForward = (await git(['--git-dir', fake.gitDir, 'merge-base', '--is-ancestor', current, body.sha], { okCodes: [1] })).code === 0;
    if (!fastForward && !body.force) throw new HttpError(422, 'Update is not a fast forward');
    await g(['update-ref', ref, body.sha, current]);
    return [200, { ref, object: { sha: body.sha, type: 'commit' } }];
  }
  if (method === 'POST' && path === '/git/refs') {
    if (await refSha(body.ref)) throw new HttpError(422, 'Reference already exists');
    await g(['update-ref', body.ref, body.sha, ZERO]);
    return [201, { ref: body.ref, object: { sha: body.sha, type: 'commit' } }];
  }
  if (method === 'PUT' && (m = path.match(/^\/contents\/(.+)$/))) {
    if (!(await isEmpty())) throw new HttpError(422, 'this fake only creates the first file of an empty repository');
    const tree = await writeTree(fake.gitDir, { tree: [{ path: m[1], mode: '100644', type: 'blob', content: Buffer.from(body.content, 'base64').toString('utf8') }] });
    const sha = await g(['commit-tree', tree], body.message, AUTHOR);
    await g(['update-ref', `refs/heads/${body.branch ?? 'main'}`, sha, ZERO]);
    return [201, { commit: { sha } }];
  }
  if (method === 'GET' && (m = path.match(/^\/compare\/([0-9a-f]{40})\.\.\.([0-9a-f]{40})$/))) {
    const isAncestor = async (a: string, b: string) => (await git(['--git-dir', fake.gitDir, 'merge-base', '--is-ancestor', a, b], { okCodes: [1] })).code === 0;
    const [base, head] = [m[1], m[2]];
    const status = base === head ? 'identical' : (await isAncestor(base, head)) ? 'ahead' : (await isAncestor(head, base)) ? 'behind' : 'diverged';
    return [200, { status }];
  }
  if (method === 'GET' && path === '/pulls') {
    const head = query.get('head')?.split(':').pop();
    const list = fake.pulls.filter((p) => p.state === (query.get('state') ?? 'open') && (!head || p.head === head) && (!query.get('base') || p.base === query.get('base')));
    return [200, list.map(pullJson)];
  }
  if (method === 'POST' && path === '/pulls') {
    if (!(await refSha(`refs/heads/${body.head}`))) throw new HttpError(422, 'Validation Failed: head does not exist');
    const pull: PullRequest = { number: fake.pulls.length + 1, head: body.head, base: body.base, title: body.title, body: body.body ?? '', state: 'open' };
    fake.pulls.push(pull);
    return [201, pullJson(pull)];
  }
  if (method === 'PATCH' && (m = path.match(/^\/pulls\/(\d+)$/))) {
    const pull = fake.pulls.find((p) => p.number === Number(m![1]));
    if (!pull) throw new HttpError(404, 'Not Found');
    Object.assign(pull, { title: body.title ?? pull.title, body: body.body ?? pull.body });
    return [200, pullJson(pull)];
  }
  throw new HttpError(404, `Not Found (the fake does not serve ${method} ${path})`);
}

function pullJson(p: PullRequest) {
  return { number: p.number, html_url: `https://github.example/pull/${p.number}`, title: p.title, body: p.body, state: p.state, head: { ref: p.head }, base: { ref: p.base } };
}

// GitHub's createTree: entries over an optional base tree; `sha: null` deletes, `content`
// creates the blob. A temporary index does the merge, as git itself would.
async function writeTree(gitDir: string, body: { base_tree?: string; tree: { path: string; mode: string; type?: string; sha?: string | null; content?: string }[] }): Promise<string> {
  const scratch = mkdtempSync(join(tmpdir(), 'steller-fake-index-'));
  const env = { GIT_INDEX_FILE: join(scratch, 'index') };
  try {
    const g = (args: string[], input?: string | Buffer) => gitText(['--git-dir', gitDir, ...args], { input, env });
    await g(body.base_tree ? ['read-tree', body.base_tree] : ['read-tree', '--empty']);
    const lines: string[] = [];
    for (const entry of body.tree) {
      if (entry.sha === null) lines.push(`0 ${ZERO}\t${entry.path}`);
      else {
        const sha = entry.content !== undefined ? writeBlob(gitDir, Buffer.from(entry.content, 'utf8')) : entry.sha!;
        lines.push(`${entry.mode} ${sha}\t${entry.path}`);
      }
    }
    await g(['update-index', '--add', '--remove', '--index-info'], `${lines.join('\n')}\n`);
    return await g(['write-tree']);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// Git's storage read and written directly where that saves starting git (the machine running
// the tests may be busy): loose refs, packed refs, and loose blob objects in git's own format.
function readRef(gitDir: string, ref: string): string | undefined {
  const loose = join(gitDir, ref);
  if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
  const packed = join(gitDir, 'packed-refs');
  if (!existsSync(packed)) return undefined;
  const line = readFileSync(packed, 'utf8').split('\n').find((l) => l.endsWith(` ${ref}`));
  return line?.split(' ')[0];
}

function hasRefs(gitDir: string): boolean {
  const packed = join(gitDir, 'packed-refs');
  if (existsSync(packed) && readFileSync(packed, 'utf8').split('\n').some((l) => /^[0-9a-f]{40} refs\//.test(l))) return true;
  const walk = (dir: string): boolean => readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? walk(join(dir, e.name)) : true));
  return walk(join(gitDir, 'refs'));
}

function writeBlob(gitDir: string, bytes: Buffer): string {
  const object = Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]);
  const sha = createHash('sha1').update(object).digest('hex');
  const path = join(gitDir, 'objects', sha.slice(0, 2), sha.slice(2));
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, deflateSync(object));
  }
  return sha;
}
