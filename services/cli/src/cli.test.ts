import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { registerModels } from '@quipu/db';
import { useHarness } from '@quipu/test/harness';
import { describe, expect, it } from 'vitest';

const harness = useHarness();
const BIN = resolve(import.meta.dirname, '../bin/quipu.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function quipu(
  args: string[],
  env: Record<string, string>,
  options: { until?: (out: string) => boolean; timeoutMs?: number } = {},
): Promise<Run & { kill: () => void }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done({ code, stdout, stderr, kill: () => child.kill('SIGTERM') });
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(null);
    }, options.timeoutMs ?? 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (options.until?.(stdout)) finish(-1);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code) => finish(code));
  });
}

function dbUrl() {
  return `${harness.mongodbUrl.replace(/\/?$/, '/')}${harness.dbName}`;
}

describe('quipu CLI', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ MONGODB_URL: 'postgres://nope' }, 'MONGODB_URL'],
    [{ QUIPU_COLOUR: 'blue' }, 'QUIPU_COLOUR'],
  ])('refuses bad configuration %o with one line naming %s and exit code 78', async (env, key) => {
    const run = await quipu(['start'], env as Record<string, string>);
    expect(run.code).toBe(78);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(key);
  });

  it('says clearly when MongoDB cannot be reached, after retrying', async () => {
    const file = join(tmpdir(), `quipu-cfg-${harness.prefix}.json`);
    writeFileSync(file, JSON.stringify({ mongodb: { connectRetries: 1 } }));
    const run = await quipu(['start', '--no-seed'], {
      MONGODB_URL: 'mongodb://127.0.0.1:9/quipu',
      REDIS_URL: harness.redisUrl,
      QUIPU_CONFIG: file,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /cannot connect to MongoDB at mongodb:\/\/127\.0\.0\.1:9\/quipu after 2 attempts/,
    );
    expect(run.stdout).toContain('retrying');
  }, 60_000);

  it('says clearly when Redis cannot be reached', async () => {
    const file = join(tmpdir(), `quipu-cfg-redis-${harness.prefix}.json`);
    writeFileSync(file, JSON.stringify({ redis: { startTimeoutMs: 1500 } }));
    const run = await quipu(['start', '--no-seed'], {
      MONGODB_URL: dbUrl(),
      REDIS_URL: 'redis://127.0.0.1:9',
      QUIPU_CONFIG: file,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot connect to Redis at redis://127.0.0.1:9');
  }, 60_000);

  it('creates users from the command line', async () => {
    const run = await quipu(
      [
        'user',
        'create',
        '--email',
        'root@quipu.pe',
        '--name',
        'Root',
        '--role',
        'admin',
        '--password',
        'a long enough password',
      ],
      { MONGODB_URL: dbUrl(), REDIS_URL: harness.redisUrl },
    );
    expect(run.stderr, run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('created root@quipu.pe (admin)');
    const runtime = await harness.runtime();
    const user = await registerModels(runtime.connection).User.findOne({ email: 'root@quipu.pe' }).lean();
    expect(user?.roles).toEqual(['admin']);
    const again = await quipu(
      [
        'user',
        'create',
        '--email',
        'root@quipu.pe',
        '--name',
        'Root',
        '--role',
        'admin',
        '--password',
        'a long enough password',
      ],
      { MONGODB_URL: dbUrl(), REDIS_URL: harness.redisUrl },
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists');
  }, 60_000);

  it('starts server and workers, seeds demo data, answers ready, and stops on SIGTERM', async () => {
    const run = await quipu(
      ['start'],
      {
        MONGODB_URL: `${harness.mongodbUrl.replace(/\/?$/, '/')}${harness.dbName}_start`,
        REDIS_URL: harness.redisUrl,
        PORT: '0',
        QUIPU_QUEUE_PREFIX: `${harness.prefix}s`,
      },
      { until: (out) => out.includes('Quipu is ready') },
    );
    expect(run.code).toBe(-1);
    const ready = JSON.parse(run.stdout.split('\n').find((l) => l.includes('Quipu is ready'))!) as {
      url: string;
      workers: string[];
    };
    expect(ready.workers).toEqual(expect.arrayContaining(['maintenance', 'notify']));
    const health = await fetch(`${ready.url}/health/ready`);
    expect(health.status).toBe(200);
    const tickets = (await (await fetch(`${ready.url}/api/v1/tickets`)).json()) as { items: unknown[] };
    expect(tickets.items.length).toBeGreaterThan(0);
    const exited = new Promise<number | null>((r) => {
      const poll = setInterval(async () => {
        try {
          await fetch(`${ready.url}/health/live`);
        } catch {
          clearInterval(poll);
          r(0);
        }
      }, 100);
    });
    run.kill();
    expect(await exited).toBe(0);
  }, 90_000);
});
