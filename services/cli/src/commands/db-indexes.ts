import type { Config } from '@quipu/config';
import { connectDatabase, ensureIndexes, registerModels } from '@quipu/db';

export async function dbIndexes(config: Config): Promise<number> {
  if (!config.mongodb.url) {
    process.stderr.write('quipu db:indexes: set MONGODB_URL\n');
    return 78;
  }
  const connection = await connectDatabase({
    url: config.mongodb.url,
    retries: config.mongodb.connectRetries,
  });
  registerModels(connection);
  const done = await ensureIndexes(connection);
  process.stdout.write(`indexes ensured on ${done.join(', ')}\n`);
  await connection.close();
  return 0;
}
