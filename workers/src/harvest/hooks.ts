import { JOBS } from '@quipu/queue';
import { checksForChangedDatasets } from '../quality/harvest-hook.ts';
import type { Runtime } from '../runtime.ts';

/**
 * Called once per successful harvest run with the datasets that are new with resources or
 * whose resources changed (URL, format, hash, schema, size, modified…). The harvest does not
 * check data itself; this is where scheduled quality checks get wired.
 *
 * Contract: called after the datasets and the source's run record are written. A throw is
 * logged and does not fail the run: the catalog is already up to date, and the next run will
 * not report these ids again (their fingerprints now match), so anything that must not be
 * lost should be made durable here first (e.g. an outbox entry or a queued job per dataset).
 */
export async function onDatasetsChanged(runtime: Runtime, datasetIds: readonly string[]): Promise<void> {
  // One check per changed dataset, its run id derived from when the harvest changed it: the
  // same change reported twice queues one job (BullMQ keeps completed ids for a week).
  await JOBS.qualityCheck.addBulk(runtime.queues, await checksForChangedDatasets(runtime, datasetIds));
}
