import { isObjectId, registerModels, toObjectId } from '@quipu/db';
import type { Runtime } from '../runtime.ts';

/** The checks the harvest asks for: one per changed dataset, run id `harvest-<dataset>-<changedAt>`. */
export async function checksForChangedDatasets(
  runtime: Pick<Runtime, 'connection'>,
  datasetIds: readonly string[],
): Promise<Array<{ datasetId: string; runId: string }>> {
  const ids = datasetIds.filter(isObjectId);
  if (ids.length === 0) return [];
  const rows = (await registerModels(runtime.connection)
    .Dataset.find({ _id: { $in: ids.map(toObjectId) } }, { 'harvest.changedAt': 1 })
    .lean()) as unknown as Array<{ _id: unknown; harvest?: { changedAt?: Date } }>;
  return rows.map((row) => ({
    datasetId: String(row._id),
    runId: `harvest-${String(row._id)}-${new Date(row.harvest?.changedAt ?? 0).getTime()}`,
  }));
}
