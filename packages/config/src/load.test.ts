import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load.ts';

describe('loadConfig', () => {
  it('loads the defaults with no environment', () => {
    const config = loadConfig({ env: {} });
    expect(config.http.port).toBe(3000);
    expect(config.portal.timeZone).toBe('America/Lima');
    expect(config.mongodb.url).toBeUndefined();
  });

  it('takes 12-factor environment variables', () => {
    const config = loadConfig({
      env: {
        MONGODB_URL: 'mongodb://db:27017/quipu',
        REDIS_URL: 'redis://r:6379',
        PORT: '8080',
        QUIPU_ALLOW_PRIVATE_NETWORK: 'true',
      },
    });
    expect(config.mongodb.url).toBe('mongodb://db:27017/quipu');
    expect(config.redis.url).toBe('redis://r:6379');
    expect(config.http.port).toBe(8080);
    expect(config.fetch.allowPrivateNetwork).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ MONGODB_URL: 'http://not-mongo' }, 'MONGODB_URL'],
    [{ REDIS_URL: 'nonsense' }, 'REDIS_URL'],
    [{ QUIPU_FROBNICATE: '1' }, 'QUIPU_FROBNICATE'],
    [{ QUIPU_ALLOW_PRIVATE_NETWORK: 'maybe' }, 'QUIPU_ALLOW_PRIVATE_NETWORK'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ NODE_ENV: 'production' }, 'SESSION_SECRET'],
  ])('rejects %o naming %s', (env, key) => {
    let caught: unknown;
    try {
      loadConfig({ env });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).key).toBe(key);
    expect((caught as ConfigError).message).toContain(key);
  });

  it('rejects unknown keys in configuration files', () => {
    expect(() => loadConfig({ env: {}, overrides: { http: { colour: 'blue' } } })).toThrow(
      /http\.colour: unknown key/,
    );
  });
});
