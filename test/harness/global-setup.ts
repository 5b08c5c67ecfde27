import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    mongodbUrl: string;
    redisUrl: string;
  }
}

/**
 * Shared servers for the whole run: MongoDB from MONGODB_URL (CI points it at FerretDB) or
 * mongodb-memory-server; Redis from REDIS_URL or a `redis-server` spawned on a free port.
 * Each test file then takes its own database name and queue prefix (harness/index.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stops: Array<() => Promise<void>> = [];
  let mongodbUrl = process.env.MONGODB_URL;
  if (!mongodbUrl) {
    const { MongoMemoryServer } = await import('mongodb-memory-server-core');
    const server = await MongoMemoryServer.create();
    stops.push(async () => {
      await server.stop();
    });
    mongodbUrl = server.getUri();
  }
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    const { startRedis } = await import('@quipu/embedded');
    const server = await startRedis();
    stops.push(server.stop);
    redisUrl = server.url;
  }
  project.provide('mongodbUrl', mongodbUrl);
  project.provide('redisUrl', redisUrl);
  return async () => {
    for (const stop of stops) await stop();
  };
}
