import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, inject } from 'vitest';
import { connectDatabase, ensureIndexes } from './connection.ts';
import { type Models, registerModels } from './models/index.ts';

export interface TestDatabase {
  /** The connection to this file's own database; set in beforeAll. */
  readonly connection: Connection;
  /** Every model registered on that connection, indexes built; set in beforeAll. */
  readonly models: Models;
}

/**
 * For the repository tests of this package (which must not depend on the services' test
 * harness): registers beforeAll/afterAll that connect to the shared MongoDB (or FerretDB) of
 * the test run, in a database of the calling file's own, and drop it afterwards.
 */
export function useTestDatabase(): TestDatabase {
  let connection: Connection | undefined;
  let models: Models | undefined;

  beforeAll(async () => {
    const problems = inject('serverErrors');
    if (problems.length) throw new Error(problems.join('\n'));
    connection = await connectDatabase({
      url: inject('mongodbUrl'),
      dbName: `t_${randomBytes(4).toString('hex')}`,
      retries: 1,
    });
    models = registerModels(connection);
    await ensureIndexes(connection);
  });

  afterAll(async () => {
    await connection?.dropDatabase().catch(() => {});
    await connection?.close();
  });

  return {
    get connection() {
      if (!connection) throw new Error('useTestDatabase: the connection is only there from beforeAll on');
      return connection;
    },
    get models() {
      if (!models) throw new Error('useTestDatabase: the models are only there from beforeAll on');
      return models;
    },
  };
}
