// Hashes files on a worker thread as they are written, reading them back from the page cache,
// while the main thread goes on writing. A one-title patch at 10,000 datasets rewrites 190 MB of
// catalogs; hashing them for the lock took 110 ms of its main thread, and the machines steller
// runs on in CI have a second core. The worker is started on the first file, and holds the
// process open only while it has work.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

// Plain JavaScript, run with `eval`: the same code under vitest (TypeScript sources) and dist/.
// Its loop is `hashFile`'s below, but for following a file as it grows (a module's own source
// cannot be handed over: vitest rewrites imports). Each file comes with shared state: a flag both
// threads may claim it by, so the main thread can take back the files the worker has not started
// without waiting for its own event loop to turn; and how far it is written, and whether wholly.
const WORKER = `
const { parentPort } = require('node:worker_threads');
const { closeSync, openSync, readSync } = require('node:fs');
const { createHash } = require('node:crypto');
const buffer = Buffer.allocUnsafe(1 << 20);
parentPort.on('message', ({ id, file, shared }) => {
  const state = new Int32Array(shared, 0, 3);
  const written = new Float64Array(shared, 16, 1);
  if (Atomics.compareExchange(state, 0, 0, 1) !== 0) return;
  try {
    const hash = createHash('sha256');
    const fd = openSync(file, 'r');
    try {
      for (let at = 0; ;) {
        const seen = Atomics.load(state, 1);
        const phase = Atomics.load(state, 2);
        if (phase === 2) throw new Error('the file was not written');
        const until = phase === 1 ? Infinity : written[0];
        while (at < until) {
          const read = readSync(fd, buffer, 0, Math.min(buffer.length, until - at), at);
          if (read === 0) break;
          hash.update(buffer.subarray(0, read));
          at += read;
        }
        if (phase === 1) break;
        Atomics.wait(state, 1, seen, 1000);
      }
    } finally {
      closeSync(fd);
    }
    parentPort.postMessage({ id, sha256: hash.digest('hex') });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

/** Indexes into a job's Int32 state: who claimed it, how many times its writer moved on, its phase. */
const CLAIM = 0;
const PROGRESS = 1;
const PHASE = 2;
const UNCLAIMED = 0;
const MAIN = 2;
const WRITING = 0;
const WRITTEN = 1;
const FAILED = 2;

/** A file being hashed: tell it how far it is written, and when it is whole (or never will be). */
export interface HashJob {
  sha256: Promise<string>;
  written(bytes: number): void;
  finished(): void;
  failed(): void;
}

interface Job {
  file: string;
  state: Int32Array;
  resolve: (sha256: string) => void;
  reject: (error: Error) => void;
}

export class FileHasher {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly jobs = new Map<number, Job>();

  /**
   * Hashes a file while it is written: the worker reads what `written` says is there, and the
   * rest once `finished`. The file must not change afterwards until the promise settles.
   */
  follow(file: string): HashJob {
    let worker: Worker | undefined;
    try {
      worker = this.worker ??= this.start();
    } catch {
      // No thread to be had (a process limit): hashed here once written, as before there was one.
    }
    const id = this.nextId++;
    const shared = new SharedArrayBuffer(24);
    const state = new Int32Array(shared, 0, 3);
    const bytes = new Float64Array(shared, 16, 1);
    const sha256 = new Promise<string>((resolve, reject) => this.jobs.set(id, { file, state, resolve, reject }));
    // A build that stops before it needs the hash must not end the process on its rejection.
    sha256.catch(() => {});
    if (worker) {
      worker.ref();
      worker.postMessage({ id, file, shared });
    }
    const moveOn = (phase?: number) => {
      if (phase !== undefined) Atomics.store(state, PHASE, phase);
      Atomics.add(state, PROGRESS, 1);
      Atomics.notify(state, PROGRESS);
    };
    return {
      sha256,
      written: (count) => {
        bytes[0] = count;
        moveOn();
      },
      finished: () => {
        moveOn(WRITTEN);
        if (!this.worker) this.hashHere(id);
      },
      failed: () => {
        moveOn(FAILED);
        if (Atomics.compareExchange(state, CLAIM, UNCLAIMED, MAIN) === UNCLAIMED) this.settle(id, () => { throw new Error('the file was not written'); });
      },
    };
  }

  /**
   * Hashes on this thread the written files the worker has not started: whoever waits for the
   * hashes now has nothing better to do, and the worker finishes the one it has meanwhile.
   */
  takeBack(): void {
    for (const [id, job] of this.jobs) if (Atomics.load(job.state, PHASE) === WRITTEN) this.hashHere(id);
  }

  /** Stops the worker; hashes not yet given fail. */
  stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    for (const job of this.jobs.values()) job.reject(new Error('the hashing thread was stopped'));
    this.jobs.clear();
    void worker?.terminate();
  }

  private hashHere(id: number): void {
    const job = this.jobs.get(id);
    if (job && Atomics.compareExchange(job.state, CLAIM, UNCLAIMED, MAIN) === UNCLAIMED) this.settle(id, () => hashFile(job.file));
  }

  private start(): Worker {
    const worker = new Worker(WORKER, { eval: true });
    worker.on('message', ({ id, sha256, error }: { id: number; sha256?: string; error?: string }) => {
      this.settle(id, () => {
        if (error !== undefined) throw new Error(error);
        return sha256 as string;
      });
    });
    // A thread that fails (its error comes before its exit) leaves its files to the main thread:
    // those written now, the others when they are.
    worker.on('error', () => {});
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const [id, job] of this.jobs) {
        Atomics.store(job.state, CLAIM, UNCLAIMED);
        if (Atomics.load(job.state, PHASE) === WRITTEN) this.hashHere(id);
      }
    });
    return worker;
  }

  private settle(id: number, sha256: () => string): void {
    const job = this.jobs.get(id);
    if (!job) return;
    this.jobs.delete(id);
    if (this.jobs.size === 0) this.worker?.unref();
    try {
      job.resolve(sha256());
    } catch (error) {
      job.reject(error as Error);
    }
  }
}

const buffer = Buffer.allocUnsafe(1 << 20);

function hashFile(file: string): string {
  const hash = createHash('sha256');
  const fd = openSync(file, 'r');
  try {
    for (let read; (read = readSync(fd, buffer, 0, buffer.length, null)) > 0;) hash.update(buffer.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}
