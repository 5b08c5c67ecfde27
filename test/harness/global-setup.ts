import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    mongodbUrl: string;
    redisUrl: string;
    /** Why a server could not be had; tests that need it fail with this message, the others run. */
    serverErrors: string[];
  }
}

/**
 * Shared servers for the whole run: MongoDB from MONGODB_URL (CI points it at FerretDB) or
 * mongodb-memory-server; Redis from REDIS_URL or a `redis-server` spawned on a free port.
 * Each test file then takes its own database name and queue prefix (harness/index.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stops: Array<() => Promise<void>> = [];
  const serverErrors: string[] = [];
  let mongodbUrl = process.env.MONGODB_URL ?? '';
  if (!mongodbUrl) {
    try {
      const { MongoMemoryServer } = await import('mongodb-memory-server-core');
      const server = await MongoMemoryServer.create();
      stops.push(async () => {
        await server.stop();
      });
      mongodbUrl = server.getUri();
    } catch (error) {
      serverErrors.push(
        `MongoDB: set MONGODB_URL or let mongodb-memory-server download mongod (${(error as Error).message})`,
      );
    }
  }
  let redisUrl = process.env.REDIS_URL ?? '';
  if (!redisUrl) {
    try {
      const { startRedis } = await import('@quipu/embedded');
      const server = await startRedis();
      stops.push(server.stop);
      redisUrl = server.url;
    } catch (error) {
      serverErrors.push(`Redis: ${(error as Error).message}`);
    }
  }
  project.provide('mongodbUrl', mongodbUrl);
  project.provide('redisUrl', redisUrl);
  project.provide('serverErrors', serverErrors);
  return async () => {
    for (const stop of stops) await stop();
  };
}
