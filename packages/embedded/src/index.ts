import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, chownSync, constants, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** A server this process started; `stop()` ends it and waits for it to exit. */
export interface EmbeddedServer {
  kind: 'redis-server' | 'ferretdb' | 'postgresql' | 'mongodb-memory-server';
  /** For FerretDB: the backend it stores documents in. */
  backend?: 'postgresql' | 'sqlite';
  url: string;
  stop(): Promise<void>;
}

/** Where scripts/tools.sh keeps the binaries it builds or downloads (FerretDB among them). */
export const TOOLS_BIN_DIR = join(homedir(), '.cache/quipu/tools/bin');

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

function stopper(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill(signal);
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

export interface StartPostgresOptions {
  /** Data folder (the cluster goes to `<dir>/data`). */
  dir: string;
  port?: number;
  /** Folder of `initdb`, `postgres` and `psql`; default: the newest /usr/lib/postgresql/<v>/bin, else PATH. */
  binDir?: string;
  /** Trade durability for speed (tests and benchmarks): no fsync, no synchronous commit. */
  ephemeral?: boolean;
}

const COMPANION_INDEXES = resolve(import.meta.dirname, '../sql/companion-indexes.sql');

/** The folder holding PostgreSQL's server binaries (Debian keeps them off PATH), or null. */
export function findPostgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const dir = join(root, version, 'bin');
      if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'))) return dir;
    }
  }
  const probe = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8', timeout: 10_000 });
  const dir = probe.status === 0 ? probe.stdout.trim() : '';
  return dir && existsSync(join(dir, 'initdb')) ? dir : null;
}

/**
 * PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` account
 * that Debian's package creates. Returns the uid/gid to spawn with, or {} when not root.
 */
function postgresIdentity(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error('running as root and no `postgres` account exists: PostgreSQL will not run as root');
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function run(binary: string, args: string[], options: { uid?: number; gid?: number } = {}): void {
  const result = spawnSync(binary, args, { encoding: 'utf8', timeout: 120_000, ...options });
  if (result.status !== 0) {
    throw new Error(`${binary} ${args.join(' ')} failed: ${(result.stderr || result.stdout || '').trim()}`);
  }
}

/**
 * Starts a PostgreSQL cluster under `dir` (created with `initdb` on first use) on loopback, with
 * a `ferretdb` database that has the companion-index trigger (sql/companion-indexes.sql).
 */
export async function startPostgres(options: StartPostgresOptions): Promise<EmbeddedServer> {
  const binDir = options.binDir ?? findPostgresBinDir();
  if (!binDir) {
    throw new Error(
      'PostgreSQL not found: install it (Debian: apt-get install postgresql) or use the SQLite backend',
    );
  }
  const identity = postgresIdentity();
  const dir = resolve(options.dir);
  const data = join(dir, 'data');
  mkdirSync(dir, { recursive: true });
  if (identity.uid !== undefined) {
    chownSync(dir, identity.uid, identity.gid ?? identity.uid);
    const reach = spawnSync('test', ['-w', dir], identity);
    if (reach.status !== 0) {
      throw new Error(
        `PostgreSQL runs as the postgres account, which cannot reach ${dir}: let it through the parent folders (chmod o+x) or use the SQLite backend`,
      );
    }
  }
  if (!existsSync(join(data, 'PG_VERSION'))) {
    run(
      join(binDir, 'initdb'),
      [
        '-D',
        data,
        '-A',
        'trust',
        '-U',
        'postgres',
        '-E',
        'UTF8',
        ...(options.ephemeral ? ['--no-sync'] : []),
      ],
      identity,
    );
  }
  const port = options.port ?? (await freePort());
  const settings = [
    `listen_addresses=127.0.0.1`,
    `unix_socket_directories=${dir}`,
    'max_connections=200',
    ...(options.ephemeral ? ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'] : []),
  ];
  const child = spawn(
    join(binDir, 'postgres'),
    ['-D', data, '-p', String(port), ...settings.flatMap((s) => ['-c', s])],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...identity,
    },
  );
  const output = collectOutput(child);
  try {
    await waitForPort(port, child, 'postgres');
    const psql = join(binDir, 'psql');
    const connect = ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-q'];
    const exists = spawnSync(
      psql,
      [...connect, '-d', 'postgres', '-tAc', "SELECT 1 FROM pg_database WHERE datname = 'ferretdb'"],
      {
        encoding: 'utf8',
      },
    );
    if (exists.stdout.trim() !== '1')
      run(psql, [...connect, '-d', 'postgres', '-c', 'CREATE DATABASE ferretdb']);
    run(psql, [...connect, '-d', 'ferretdb', '-f', COMPANION_INDEXES]);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${output()}`);
  }
  return {
    kind: 'postgresql',
    url: `postgres://postgres@127.0.0.1:${port}/ferretdb`,
    // SIGINT is PostgreSQL's fast shutdown (SIGTERM waits for clients to leave).
    stop: stopper(child, 'SIGINT'),
  };
}

/**
 * FerretDB's pool of PostgreSQL connections. FerretDB 1.24 creates a database or collection while
 * holding its metadata lock and then waits for a pooled connection, while the queries holding
 * every pooled connection wait for that lock: with its small default pool, a burst of queries
 * during a first insert into a new collection hangs the server for good (goroutine dumps show it).
 * A pool far larger than the clients' concurrency (and under the cluster's max_connections) keeps
 * a connection free.
 */
const FERRET_POOL = 150;

export interface StartMongoOptions {
  /** Data folder (FerretDB's SQLite files or PostgreSQL cluster, or mongod's dbPath). */
  dir: string;
  port?: number;
  /**
   * FerretDB's backend. `postgresql` (the default when PostgreSQL is installed) serves equality
   * filters from indexes; `sqlite` scans the collection on every query (README, "Scale").
   */
  backend?: 'postgresql' | 'sqlite';
  /** Tests and benchmarks: a PostgreSQL backend without fsync. */
  ephemeral?: boolean;
  /** Folders searched for a `ferretdb` binary before PATH (e.g. the repository's .tools/bin). */
  searchDirs?: string[];
}

/**
 * Starts a MongoDB-compatible server: a `ferretdb` binary when one is installed (over
 * PostgreSQL when it is installed too, else SQLite), else mongodb-memory-server (which downloads
 * mongod on first use). A FerretDB server's `stop()` stops its PostgreSQL too.
 */
export async function startMongo(options: StartMongoOptions): Promise<EmbeddedServer> {
  mkdirSync(options.dir, { recursive: true });
  const port = options.port ?? (await freePort());
  const ferret = findBinary('ferretdb', options.searchDirs ?? []);
  if (ferret) {
    const dir = resolve(options.dir);
    const backend = options.backend ?? (findPostgresBinDir() ? 'postgresql' : 'sqlite');
    // A fresh mktemp folder is private to its creator; the postgres account must get through.
    if (backend === 'postgresql') chmodSync(dir, 0o755);
    const postgres =
      backend === 'postgresql'
        ? await startPostgres({
            dir: join(dir, 'postgresql'),
            ...(options.ephemeral ? { ephemeral: true } : {}),
          })
        : null;
    const child = spawn(
      ferret,
      [
        ...(postgres
          ? ['--handler=postgresql', `--postgresql-url=${postgres.url}?pool_max_conns=${FERRET_POOL}`]
          : ['--handler=sqlite', `--sqlite-url=file:${dir}/`]),
        `--state-dir=${dir}`,
        `--listen-addr=127.0.0.1:${port}`,
        '--debug-addr=-',
        '--telemetry=disable',
        '--log-level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const output = collectOutput(child);
    const stopFerret = stopper(child);
    try {
      await waitForPort(port, child, 'ferretdb');
    } catch (error) {
      await postgres?.stop();
      throw new Error(`${(error as Error).message}\n${output()}`);
    }
    return {
      kind: 'ferretdb',
      backend,
      url: `mongodb://127.0.0.1:${port}/`,
      async stop() {
        await stopFerret();
        await postgres?.stop();
      },
    };
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
