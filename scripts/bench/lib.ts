// Shared helpers for the bench scripts: the servers they run against and a process that
// reports its figures. Bench scripts may read the environment (MONGODB_URL, REDIS_URL).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRuntime, type QuipuRuntime } from '@quipu/cli/runtime';
import { type EmbeddedServer, freePort, startMongo, startRedis, TOOLS_BIN_DIR } from '@quipu/embedded';
import { loadConfig } from '../../packages/config/src/index.ts';
import { createLogger } from '../../services/api/src/logger.ts';

export const ROOT = resolve(import.meta.dirname, '../..');

/**
 * MONGODB_URL / REDIS_URL when set, else local servers (FerretDB or mongodb-memory-server,
 * redis-server). A given `backend` always starts a local FerretDB over it, without fsync.
 */
export async function servers(
  options: { backend?: 'postgresql' | 'sqlite' } = {},
): Promise<{ mongodbUrl: string; redisUrl: string; stop(): Promise<void> }> {
  const started: EmbeddedServer[] = [];
  let mongodbUrl = options.backend ? undefined : process.env.MONGODB_URL;
  let redisUrl = options.backend ? undefined : process.env.REDIS_URL;
  let dir: string | undefined;
  if (!mongodbUrl) {
    dir = mkdtempSync(join(tmpdir(), 'quipu-bench-db-'));
    const server = await startMongo({
      dir,
      searchDirs: [TOOLS_BIN_DIR],
      ...(options.backend ? { backend: options.backend, ephemeral: true } : {}),
    });
    started.push(server);
    mongodbUrl = server.url;
  }
  if (!redisUrl) {
    const server = await startRedis();
    started.push(server);
    redisUrl = server.url;
  }
  return {
    mongodbUrl,
    redisUrl,
    async stop() {
      for (const s of started.reverse()) await s.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Quipu runtime on the bench's own database and queue prefix (quiet logs). */
export async function benchRuntime(
  infra: { mongodbUrl: string; redisUrl: string },
  props: { dbName: string; prefix: string; overrides?: Record<string, unknown>; now?: () => Date },
): Promise<QuipuRuntime> {
  const config = loadConfig({
    env: {
      NODE_ENV: 'test',
      MONGODB_URL: infra.mongodbUrl,
      REDIS_URL: infra.redisUrl,
      QUIPU_QUEUE_PREFIX: props.prefix,
      LOG_LEVEL: 'silent',
    },
    ...(props.overrides ? { overrides: props.overrides } : {}),
  });
  return await createRuntime(config, {
    logger: createLogger('silent'),
    dbName: props.dbName,
    ...(props.now ? { now: props.now } : {}),
  });
}

/** Drops a bench's database and every Redis key under its prefix, then closes the runtime. */
export async function dropBench(runtime: QuipuRuntime, prefix: string): Promise<void> {
  await runtime.connection.dropDatabase().catch(() => {});
  let cursor = '0';
  do {
    const [next, keys] = await runtime.redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await runtime.redis.del(...keys);
  } while (cursor !== '0');
  await runtime.close();
}

export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Starts `quipu start` as its own process and resolves with its URL once it is ready. */
export async function startQuipu(env: Record<string, string>, config: Record<string, unknown> = {}) {
  const file = join(mkdtempSync(join(tmpdir(), 'quipu-bench-cfg-')), 'config.json');
  writeFileSync(file, JSON.stringify(config));
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'services/cli/bin/quipu.js'), 'start', '--no-seed'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'production',
      SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-00',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      QUIPU_CONFIG: file,
      // e.g. BENCH_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the server
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let exited: number | null | undefined;
  child.on('exit', (code) => {
    exited = code;
  });
  const url = `http://127.0.0.1:${port}`;
  for (let ready = false; !ready; ) {
    if (exited !== undefined) throw new Error(`quipu exited with ${exited}`);
    await new Promise((r) => setTimeout(r, 200));
    ready = await fetch(`${url}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
  }
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** The `p`th percentile of ascending `sorted` values (0 when empty). */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
