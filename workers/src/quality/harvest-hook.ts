import { datasetRepository, EVERYTHING, registerModels } from '@quipu/db';
import type { Runtime } from '../runtime.ts';

/** The checks the harvest asks for: one per changed dataset, run id `harvest-<dataset>-<changedAt>`. */
export async function checksForChangedDatasets(
  runtime: Pick<Runtime, 'connection'>,
  datasetIds: readonly string[],
): Promise<Array<{ datasetId: string; runId: string }>> {
  const changes = await datasetRepository(registerModels(runtime.connection)).harvestChanges(
    EVERYTHING,
    datasetIds,
  );
  return changes.map((change) => ({
    datasetId: change.id,
    runId: `harvest-${change.id}-${new Date(change.changedAt ?? 0).getTime()}`,
  }));
}
