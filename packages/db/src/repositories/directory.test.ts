import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, ensureIndexes } from '../connection.ts';
import { registerModels } from '../models/index.ts';
import { directoryRepository } from './directory.ts';
import { EVERYTHING } from './scope.ts';

// The real shared MongoDB (or FerretDB) of the test run, in a database of this file's own.
let connection: Connection;
let directory: ReturnType<typeof directoryRepository>;

beforeAll(async () => {
  const problems = inject('serverErrors');
  if (problems.length) throw new Error(problems.join('\n'));
  connection = await connectDatabase({
    url: inject('mongodbUrl'),
    dbName: `t_${randomBytes(4).toString('hex')}`,
    retries: 1,
  });
  await ensureIndexes(connection);
  directory = directoryRepository(registerModels(connection));
});

afterAll(async () => {
  await connection?.dropDatabase().catch(() => {});
  await connection?.close();
});

describe('organisations', () => {
  it('are found by id or slug only inside the scope', async () => {
    const minsa = await directory.createOrganisation({ slug: 'minsa', name: 'Ministerio de Salud' });
    const sunat = await directory.createOrganisation({ slug: 'sunat', name: 'SUNAT' });
    const officerOfMinsa = { kind: 'organisations', organisationIds: [String(minsa._id)] } as const;
    expect((await directory.findOrganisation(officerOfMinsa, String(minsa._id)))?.slug).toBe('minsa');
    expect((await directory.findOrganisation(officerOfMinsa, 'minsa'))?.slug).toBe('minsa');
    expect(await directory.findOrganisation(officerOfMinsa, String(sunat._id))).toBeNull();
    expect(await directory.findOrganisation(officerOfMinsa, 'sunat')).toBeNull();
    expect((await directory.findOrganisation(EVERYTHING, String(sunat._id)))?.slug).toBe('sunat');
  });
});
