import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { join, resolve } from 'node:path';

/** A server this process started; `stop()` ends it and waits for it to exit. */
export interface EmbeddedServer {
  kind: 'redis-server' | 'ferretdb' | 'mongodb-memory-server';
  url: string;
  stop(): Promise<void>;
}

/**
 * Finds an executable in the given folders, else on PATH (asking the OS to run it with
 * `--version`, so this module never reads the environment itself).
 */
export function findBinary(name: string, extraDirs: string[] = []): string | null {
  for (const dir of extraDirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  const probe = spawnSync(name, ['--version'], { stdio: 'ignore', timeout: 10_000 });
  return probe.error ? null : name;
}

export async function freePort(): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPort(
  port: number,
  child: ChildProcess,
  name: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | null = null;
  child.once('exit', (code, signal) => {
    exited = `${name} exited early (code ${code}, signal ${signal})`;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(exited);
    const open = await new Promise<boolean>((done) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
      socket.connect(port, '127.0.0.1');
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
}

function collectOutput(child: ChildProcess): () => string {
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => output;
}

export interface StartRedisOptions {
  /** Data folder; absent: nothing persisted (tests). */
  dir?: string;
  port?: number;
  binary?: string;
}

/** Spawns `redis-server` (from PATH) on loopback with `noeviction`, as BullMQ requires. */
export async function startRedis(options: StartRedisOptions = {}): Promise<EmbeddedServer> {
  const binary = options.binary ?? findBinary('redis-server');
  if (!binary) {
    throw new Error(
      'redis-server not found on PATH: install Redis (Debian: apt-get install redis-server) or set REDIS_URL',
    );
  }
  const port = options.port ?? (await freePort());
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--maxmemory-policy',
    'noeviction',
    '--save',
    '',
  ];
  if (options.dir) {
    mkdirSync(options.dir, { recursive: true });
    args.push('--dir', resolve(options.dir), '--appendonly', 'yes');
  } else {
    args.push('--appendonly', 'no');
  }
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collectOutput(child);
  try {
    await waitForPort(port, child, 'redis-server');
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${output()}`);
  }
  return { kind: 'redis-server', url: `redis://127.0.0.1:${port}`, stop: stopper(child) };
}

export interface StartMongoOptions {
  /** Data folder (FerretDB's SQLite files or mongod's dbPath). */
  dir: string;
  port?: number;
  /** Folders searched for a `ferretdb` binary before PATH (e.g. the repository's .tools/bin). */
  searchDirs?: string[];
}

/**
 * Starts a MongoDB-compatible server: a `ferretdb` binary (SQLite backend) when one is
 * installed, else mongodb-memory-server (which downloads mongod on first use).
 */
export async function startMongo(options: StartMongoOptions): Promise<EmbeddedServer> {
  mkdirSync(options.dir, { recursive: true });
  const port = options.port ?? (await freePort());
  const ferret = findBinary('ferretdb', options.searchDirs ?? []);
  if (ferret) {
    const dir = resolve(options.dir);
    const child = spawn(
      ferret,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${dir}/`,
        `--state-dir=${dir}`,
        `--listen-addr=127.0.0.1:${port}`,
        '--debug-addr=-',
        '--telemetry=disable',
        '--log-level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const output = collectOutput(child);
    try {
      await waitForPort(port, child, 'ferretdb');
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${output()}`);
    }
    return { kind: 'ferretdb', url: `mongodb://127.0.0.1:${port}/`, stop: stopper(child) };
  }
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const server = await MongoMemoryServer.create({
    instance: { dbPath: resolve(options.dir), storageEngine: 'wiredTiger', port, ip: '127.0.0.1' },
  });
  return {
    kind: 'mongodb-memory-server',
    url: server.getUri(),
    stop: async () => {
      await server.stop({ doCleanup: false });
    },
  };
}
