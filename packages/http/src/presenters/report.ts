import type { QualityReportRecord } from '@quipu/db';

/** The public body of a report (the API's answer and the web's JSON download). */
export function presentReport(report: QualityReportRecord) {
  return {
    id: report._id,
    datasetId: String(report.datasetId),
    resourceId: report.resourceId,
    runId: report.runId,
    checkedAt: report.checkedAt,
    durationMs: report.durationMs,
    url: report.url ?? null,
    skipped: report.skipped ?? null,
    failing: report.failing,
    availability: report.availability,
    validity: report.validity,
    metadata: report.metadata,
    freshness: report.freshness,
  };
}
