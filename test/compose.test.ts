import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ENV_KEYS, loadConfig } from '@quipu/config';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// No Docker engine runs here: docker-compose.yml and the Dockerfile are checked by reading them.
const root = resolve(import.meta.dirname, '..');
const compose = parse(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      image?: string;
      build?: { target: string };
      command?: string[];
      environment?: Record<string, string>;
      healthcheck?: { test: string[] };
      depends_on?: Record<string, { condition: string }>;
      volumes?: string[];
    }
  >;
  volumes: Record<string, unknown>;
};
const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8');

/** `${NAME:-default}` → default, `${NAME:?message}` → a value a deployer would give. */
function interpolate(value: string): string {
  return value
    .replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')
    .replace(/\$\{SESSION_SECRET:\?[^}]*\}/g, 'x'.repeat(48))
    .replace(/\$\{[A-Z_]+:\?[^}]*\}/g, 'set');
}

describe('docker-compose.yml', () => {
  it('has the agreed services, each with a health check or a completion condition', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'api',
      'mailpit',
      'migrate',
      'mongo',
      'redis',
      'worker',
    ]);
    for (const name of ['mongo', 'redis', 'mailpit', 'api'])
      expect(compose.services[name]!.healthcheck?.test.length, name).toBeGreaterThan(0);
    expect(compose.services.mongo!.image).toBe('mongo:7');
    expect(compose.services.mongo!.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    expect(compose.services.redis!.image).toBe('redis:7');
    expect(compose.services.redis!.command!.join(' ')).toContain('--maxmemory-policy noeviction');
    expect(compose.services.api!.depends_on).toMatchObject({
      migrate: { condition: 'service_completed_successfully' },
      redis: { condition: 'service_healthy' },
    });
  });

  it('declares every named volume it mounts', () => {
    const used = Object.values(compose.services).flatMap((s) =>
      (s.volumes ?? []).map((v) => v.split(':')[0]!),
    );
    for (const volume of used) expect(Object.keys(compose.volumes)).toContain(volume);
  });

  it('builds api, worker and migrate from a stage of the Dockerfile, running real CLI commands', () => {
    const stages = [...dockerfile.matchAll(/^FROM \S+ AS (\S+)/gm)].map((m) => m[1]);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const commands = readFileSync(resolve(root, 'services/cli/src/main.ts'), 'utf8');
    for (const name of ['api', 'worker', 'migrate']) {
      const service = compose.services[name]!;
      expect(stages).toContain(service.build!.target);
      expect(service.command!.slice(0, 2)).toEqual(['node', 'services/cli/bin/quipu.js']);
      expect(commands).toContain(`case '${service.command![2]}':`);
    }
  });

  it('gives api and worker only variables the config knows, and a configuration that validates', () => {
    for (const name of ['api', 'worker', 'migrate']) {
      const environment = compose.services[name]!.environment!;
      for (const key of Object.keys(environment))
        expect(Object.keys(ENV_KEYS), `${name}: ${key}`).toContain(key);
      for (const required of ['MONGODB_URL', 'REDIS_URL', 'SMTP_URL', 'SESSION_SECRET', 'PUBLIC_BASE_URL'])
        expect(environment).toHaveProperty(required);
      const env = Object.fromEntries(
        Object.entries(environment).map(([k, v]) => [k, interpolate(String(v))]),
      );
      const config = loadConfig({ env });
      expect(config.env).toBe('production');
      expect(config.mongodb.url).toContain('replicaSet=rs0');
      expect(config.redis.url).toBe('redis://redis:6379');
      expect(config.smtp.url).toBe('smtp://mailpit:1025');
    }
    expect(compose.services.api!.environment!.HOST).toBe('0.0.0.0');
  });
});
