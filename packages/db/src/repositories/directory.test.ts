import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../test-database.ts';
import { directoryRepository } from './directory.ts';
import { EVERYTHING } from './scope.ts';

// The real shared MongoDB (or FerretDB) of the test run, in a database of this file's own.
const db = useTestDatabase();
let directory: ReturnType<typeof directoryRepository>;

beforeAll(() => {
  directory = directoryRepository(db.models);
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
