// Hashes written files on a worker thread, reading them back from the page cache, while the main
// thread writes the next ones. A one-title patch at 10,000 datasets rewrites 190 MB of catalogs;
// hashing them for the lock took 110 ms of its main thread, and the machines steller runs on in
// CI have a second core. The worker is started on the first file, and holds the process open
// only while it has work.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

// Plain JavaScript, run with `eval`: the same code under vitest (TypeScript sources) and dist/.
// Its loop is `hashFile`'s below (a module's own source cannot be handed over: vitest rewrites
// imports). Each file comes with a flag both threads may claim it by, so the main thread can take
// back the files the worker has not started without waiting for its own event loop to turn.
const WORKER = `
const { parentPort } = require('node:worker_threads');
const { closeSync, openSync, readSync } = require('node:fs');
const { createHash } = require('node:crypto');
const buffer = Buffer.allocUnsafe(1 << 20);
parentPort.on('message', ({ id, file, claim }) => {
  if (Atomics.compareExchange(new Int32Array(claim), 0, 0, 1) !== 0) return;
  try {
    const hash = createHash('sha256');
    const fd = openSync(file, 'r');
    try {
      for (let read; (read = readSync(fd, buffer, 0, buffer.length, null)) > 0;) hash.update(buffer.subarray(0, read));
    } finally {
      closeSync(fd);
    }
    parentPort.postMessage({ id, sha256: hash.digest('hex') });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

const UNCLAIMED = 0;
const MAIN = 2;

interface Job {
  file: string;
  /** UNCLAIMED until the worker (1) or the main thread (MAIN) takes the file. */
  claim: Int32Array;
  resolve: (sha256: string) => void;
  reject: (error: Error) => void;
}

export class FileHasher {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly jobs = new Map<number, Job>();

  /** The file's sha256 (hex); it must not change until the promise settles. */
  hash(file: string): Promise<string> {
    let worker: Worker | undefined;
    try {
      worker = this.worker ??= this.start();
    } catch {
      // No thread to be had (a process limit): hashed here, as before there was one.
    }
    const id = this.nextId++;
    const claim = new SharedArrayBuffer(4);
    const hashed = new Promise<string>((resolve, reject) => this.jobs.set(id, { file, claim: new Int32Array(claim), resolve, reject }));
    // A build that stops before it needs the hash must not end the process on its rejection.
    hashed.catch(() => {});
    if (worker) {
      worker.ref();
      worker.postMessage({ id, file, claim });
    } else {
      this.settle(id, () => hashFile(file));
    }
    return hashed;
  }

  /**
   * Hashes on this thread the files the worker has not started: whoever waits for the hashes
   * now has nothing better to do, and the worker finishes the one it has meanwhile.
   */
  takeBack(): void {
    for (const [id, job] of this.jobs) {
      if (Atomics.compareExchange(job.claim, 0, UNCLAIMED, MAIN) !== UNCLAIMED) continue;
      this.settle(id, () => hashFile(job.file));
    }
  }

  /** Stops the worker; hashes not yet given fail. */
  stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    for (const job of this.jobs.values()) job.reject(new Error('the hashing thread was stopped'));
    this.jobs.clear();
    void worker?.terminate();
  }

  private start(): Worker {
    const worker = new Worker(WORKER, { eval: true });
    worker.on('message', ({ id, sha256, error }: { id: number; sha256?: string; error?: string }) => {
      this.settle(id, () => {
        if (error !== undefined) throw new Error(error);
        return sha256 as string;
      });
    });
    // A thread that fails (its error comes before its exit) leaves its files to the main thread.
    worker.on('error', () => {});
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const [id, job] of this.jobs) this.settle(id, () => hashFile(job.file));
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
