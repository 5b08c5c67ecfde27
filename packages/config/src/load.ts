import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Config, configSchema } from './schema.ts';

/** Environment variables Quipu reads, and where each lands in the configuration. */
export const ENV_KEYS = {
  NODE_ENV: 'env',
  HOST: 'http.host',
  PORT: 'http.port',
  PUBLIC_BASE_URL: 'http.publicBaseUrl',
  MONGODB_URL: 'mongodb.url',
  QUIPU_EMBEDDED_BACKEND: 'mongodb.embeddedBackend',
  REDIS_URL: 'redis.url',
  SMTP_URL: 'smtp.url',
  MAIL_FROM: 'smtp.from',
  SESSION_SECRET: 'session.secret',
  LOG_LEVEL: 'log.level',
  PORTAL_NAME: 'portal.name',
  QUIPU_QUEUE_PREFIX: 'redis.prefix',
  QUIPU_DATA_DIR: 'dataDir',
  QUIPU_ALLOW_PRIVATE_NETWORK: 'fetch.allowPrivateNetwork',
  QUIPU_METRICS_TOKEN: 'metrics.token',
  QUIPU_METRICS_PORT: 'metrics.port',
  QUIPU_CONFIG: null, // a JSON file merged over config/default.json
} as const satisfies Record<string, string | null>;

const BOOLEAN_PATHS = new Set(['fetch.allowPrivateNetwork', 'http.trustProxy', 'mongodb.autoIndex']);

/** A configuration problem, always naming the key at fault. */
export class ConfigError extends Error {
  readonly key: string;
  constructor(key: string, problem: string) {
    super(`invalid configuration: ${key}: ${problem}`);
    this.name = 'ConfigError';
    this.key = key;
  }
}

export const CONFIG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../config');

type Json = Record<string, unknown>;

function readJson(path: string): Json {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Json;
  } catch (error) {
    throw new ConfigError(path, `cannot read JSON (${(error as Error).message})`);
  }
}

function merge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && prior && typeof prior === 'object'
        ? merge(prior as Json, value as Json)
        : value;
  }
  return out;
}

function setPath(target: Json, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    node[part] = { ...((node[part] as Json | undefined) ?? {}) };
    node = node[part] as Json;
  }
  node[parts.at(-1)!] = value;
}

function envKeyFor(path: string): string {
  return Object.entries(ENV_KEYS).find(([, p]) => p === path)?.[0] ?? path;
}

export interface LoadConfigOptions {
  /** Environment to read; defaults to the process environment. */
  env?: Record<string, string | undefined>;
  /** Folder holding default.json (and `<env>.json`); defaults to the repository's config/. */
  configDir?: string;
  /** Values merged last, for tests and CLI flags. */
  overrides?: Json;
}

/**
 * Loads config/default.json, then config/<NODE_ENV>.json if present, then the QUIPU_CONFIG
 * file, then environment variables, then overrides; validates the result. Throws ConfigError
 * naming the first bad key (environment variable name when it came from the environment).
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  // The one place in Quipu that reads process.env (STYLE.md habit 11).
  const env = options.env ?? process.env;
  const dir = options.configDir ?? CONFIG_DIR;
  let raw = readJson(join(dir, 'default.json'));
  const envName = env.NODE_ENV;
  if (envName && existsSync(join(dir, `${envName}.json`)))
    raw = merge(raw, readJson(join(dir, `${envName}.json`)));
  if (env.QUIPU_CONFIG) raw = merge(raw, readJson(resolve(env.QUIPU_CONFIG)));

  for (const name of Object.keys(env)) {
    if (name.startsWith('QUIPU_') && !(name in ENV_KEYS)) {
      throw new ConfigError(name, `unknown setting (known: ${Object.keys(ENV_KEYS).join(', ')})`);
    }
  }
  for (const [name, path] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (path === null || value === undefined || value === '') continue;
    if (BOOLEAN_PATHS.has(path)) {
      if (!['true', 'false', '1', '0'].includes(value)) throw new ConfigError(name, 'expected true or false');
      setPath(raw, path, value === 'true' || value === '1');
    } else {
      setPath(raw, path, value);
    }
  }
  if (options.overrides) raw = merge(raw, options.overrides);

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join('.');
    const key = issue.code === 'unrecognized_keys' ? [path, ...issue.keys].filter(Boolean).join('.') : path;
    throw new ConfigError(envKeyFor(key), issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message);
  }
  const config = parsed.data;
  if (config.env === 'production' && config.session.secret.startsWith('development-only')) {
    throw new ConfigError('SESSION_SECRET', 'must be set in production');
  }
  return config;
}

/** For process entry points: load or print one line naming the bad key and exit with 78 (EX_CONFIG). */
export function loadConfigOrExit(options: LoadConfigOptions = {}): Config {
  try {
    return loadConfig(options);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`quipu: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}
