import {
  datasetRepository,
  type Models,
  PUBLIC,
  type QualityReportRecord,
  qualityReportRepository,
} from '@quipu/db';

/**
 * A report the public may read: a well-formed id, stored, of a dataset not withdrawn. Check
 * reports are about public data and carry nothing personal; withdrawn datasets' reports are
 * hidden. Shared by the API's report route and the web's report page, so both answer 404 alike.
 */
export async function findPublicReport(models: Models, id: string): Promise<QualityReportRecord | null> {
  if (!/^qr-[0-9a-f]{32}$/.test(id)) return null;
  const report = await qualityReportRepository(models).findById(id);
  if (!report) return null;
  // The public scope is what says a dataset may be seen (not withdrawn).
  return (await datasetRepository(models).findById(PUBLIC, String(report.datasetId))) ? report : null;
}
