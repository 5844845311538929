// Serves bare repositories over git's smart-HTTP protocol on 127.0.0.1: node:http in front of
// `git http-backend` (CGI), as a real git host would run it. `beforeReceivePack` runs before a
// push reaches git, to let a test push something else first (a lost race, for real).
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpServer {
  url: (repo: string) => string;
  pushes: number;
  beforeReceivePack?: () => Promise<void>;
  close: () => Promise<void>;
}

export async function startGitHttp(projectRoot: string): Promise<GitHttpServer> {
  const state: GitHttpServer = { url: () => '', pushes: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    void serve(req, res, projectRoot, state).catch((error: Error) => {
      res.statusCode = 500;
      res.end(error.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = (repo) => `http://127.0.0.1:${port}/${repo}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

async function serve(req: IncomingMessage, res: ServerResponse, projectRoot: string, state: GitHttpServer): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (req.method === 'POST' && url.pathname.endsWith('/git-receive-pack')) {
    state.pushes++;
    const hook = state.beforeReceivePack;
    state.beforeReceivePack = undefined;
    await hook?.();
  }
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH ?? '',
      GIT_PROJECT_ROOT: projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
      GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      REMOTE_USER: 'tester',
      REMOTE_ADDR: '127.0.0.1',
    },
  });
  req.pipe(child.stdin);
  const chunks: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  await new Promise<void>((resolve) => child.on('close', () => resolve()));
  const output = Buffer.concat(chunks);
  const split = output.indexOf('\r\n\r\n');
  const [headerEnd, bodyStart] = split >= 0 ? [split, split + 4] : [output.indexOf('\n\n'), output.indexOf('\n\n') + 2];
  let status = 200;
  for (const line of output.subarray(0, headerEnd).toString('utf8').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    const [name, value] = [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
    else if (name) res.setHeader(name, value);
  }
  res.statusCode = status;
  res.end(output.subarray(bodyStart));
}
