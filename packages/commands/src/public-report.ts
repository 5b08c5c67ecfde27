import { datasetRepository, type Models, type QualityReportRecord, qualityReportRepository } from '@quipu/db';

/**
 * A report the public may read: a well-formed id, stored, of a dataset not withdrawn. Check
 * reports are about public data and carry nothing personal; withdrawn datasets' reports are
 * hidden. Shared by the API's report route and the web's report page, so both answer 404 alike.
 */
export async function findPublicReport(models: Models, id: string): Promise<QualityReportRecord | null> {
  if (!/^qr-[0-9a-f]{32}$/.test(id)) return null;
  const report = await qualityReportRepository(models).findById(id);
  if (!report) return null;
  return (await datasetRepository(models).isPublished(report.datasetId)) ? report : null;
}
