import { formatFacts, formatForExtension, formatForMediaType, freshness } from '@quipu/core/scoring';
import type { QualityReportInput, ResourceQualityState } from '@quipu/db';
import { fetchJson, HostBusyError, type HostLimiter, isFetchError, safeFetch } from '@quipu/fetch';
import { type Report, type ReportError, type TableSchema, validate } from '@quipu/quality';

/** Errors kept on a report (counts are kept for all). */
export const REPORT_ERRORS_KEPT = 100;
/** A Table Schema given by URL is small; anything bigger is not a schema. */
const SCHEMA_MAX_BYTES = 1024 * 1024;

export interface CheckCaps {
  allowPrivateNetwork: boolean;
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
}

export interface CheckableDataset {
  _id: unknown;
  title: string;
  description?: string | null;
  organisationId: unknown;
  tags?: string[] | null;
  licence?: Record<string, unknown> | null;
  contactPoint?: Record<string, unknown> | null;
  updateFrequency?: string | null;
  modified?: Date | string | null;
  harvest?: { changedAt?: Date } | null;
}

export interface CheckableResource {
  _id: string;
  name?: string | null;
  url: string;
  format?: string | null;
  mediaType?: string | null;
  schema?: unknown;
  modified?: Date | string | null;
}

function extensionOf(url: string): string | undefined {
  try {
    const path = new URL(url).pathname.toLowerCase().replace(/\.(gz|zip)$/, '');
    return /\.([a-z0-9]+)$/.exec(path)?.[1];
  } catch {
    return undefined;
  }
}

function compressionOf(url: string): 'gz' | 'zip' | undefined {
  try {
    const m = /\.(gz|zip)$/i.exec(new URL(url).pathname);
    return m ? (m[1]!.toLowerCase() as 'gz' | 'zip') : undefined;
  } catch {
    return undefined;
  }
}

/** CSV or TSV by the declared format, the served media type or the file extension. */
export function tableFormat(resource: CheckableResource, contentType?: string | null): 'csv' | 'tsv' | null {
  const facts =
    formatFacts(resource.format) ??
    formatForMediaType(resource.mediaType) ??
    formatForExtension(extensionOf(resource.url)) ??
    formatForMediaType(contentType?.split(';')[0]?.trim());
  if (!facts) return null;
  if (facts.format === 'CSV') return 'csv';
  if (facts.format === 'TSV') return 'tsv';
  return null;
}

/** Does the served Content-Type agree with the declared format? null when either is unknown. */
export function contentTypeMatches(
  declared: string | null | undefined,
  contentType: string | null,
): boolean | null {
  const want = formatFacts(declared);
  const media = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!want || !media) return null;
  // Servers send text/plain or octet-stream for anything; only a contradiction counts.
  if (media === 'application/octet-stream' || media === 'text/plain' || media === 'binary/octet-stream')
    return null;
  const served = formatForMediaType(media);
  if (!served) return null;
  return served.format === want.format || (media === 'text/csv' && want.format === 'TSV');
}

/** Licence, description and a machine-readable format decide; keywords and contact lower the score only. */
export function metadataFamily(dataset: CheckableDataset, resource: CheckableResource | null) {
  const licence = dataset.licence as { id?: string | null; title?: string | null; isOpen?: boolean } | null;
  const facts = resource ? formatFacts(resource.format) : undefined;
  const result = {
    licence: { present: Boolean(licence && (licence.id || licence.title)), open: licence?.isOpen === true },
    description: Boolean(dataset.description?.trim()),
    keywords: (dataset.tags?.length ?? 0) > 0,
    contact: Boolean((dataset.contactPoint as { email?: string | null } | null)?.email),
    format: resource
      ? {
          declared: resource.format ?? null,
          known: Boolean(facts),
          machineReadable: facts?.machineReadable ?? false,
          nonProprietary: facts?.nonProprietary ?? false,
        }
      : null,
  };
  const missing: string[] = [];
  if (!result.licence.present) missing.push('licence');
  if (!result.description) missing.push('description');
  if (result.format && !result.format.machineReadable) missing.push('machine-readable-format');
  return { ok: missing.length === 0, missing, ...result };
}

export function freshnessFamily(dataset: CheckableDataset, now: Date) {
  const modified = dataset.modified ?? dataset.harvest?.changedAt ?? null;
  const status = freshness(modified, dataset.updateFrequency ?? null, now);
  return {
    ok: status.status !== 'stale',
    modified: modified ? new Date(modified) : null,
    frequency: dataset.updateFrequency ?? null,
    status: status.status,
    stale: status.status === 'stale',
    dueAt: status.dueAt,
    daysLate: status.daysLate,
  };
}

async function schemaFor(
  resource: CheckableResource,
  caps: CheckCaps,
  signal: AbortSignal,
): Promise<{ schema?: TableSchema; source: 'declared' | 'inferred'; error?: string }> {
  const declared = resource.schema;
  if (declared && typeof declared === 'object')
    return { schema: declared as TableSchema, source: 'declared' };
  if (typeof declared === 'string' && /^https?:\/\//i.test(declared)) {
    try {
      const { json: data } = await fetchJson(declared, {
        allowPrivateNetwork: caps.allowPrivateNetwork,
        maxBytes: SCHEMA_MAX_BYTES,
        timeoutMs: Math.min(caps.timeoutMs, 30_000),
        maxRedirects: caps.maxRedirects,
        signal,
      });
      if (data && typeof data === 'object') return { schema: data as TableSchema, source: 'declared' };
      return { source: 'inferred', error: 'the schema URL did not answer a JSON object' };
    } catch (error) {
      return { source: 'inferred', error: `schema not retrieved: ${(error as Error).message}` };
    }
  }
  return { source: 'inferred' };
}

function validitySummary(report: Report, schemaSource: 'declared' | 'inferred', schemaError?: string) {
  const task = report.tasks[0];
  const errors: ReportError[] = [...report.errors, ...(task?.errors ?? [])];
  const counts: Record<string, number> = {};
  for (const e of errors) counts[e.type] = (counts[e.type] ?? 0) + 1;
  return {
    ok: report.valid,
    status: 'checked',
    valid: report.valid,
    errorCount: report.stats.errors,
    counts:
      task?.summary?.errorCounts && Object.keys(task.summary.errorCounts).length
        ? task.summary.errorCounts
        : counts,
    errors: errors.slice(0, REPORT_ERRORS_KEPT),
    stats: task?.stats ?? null,
    fields: task?.summary?.fields ?? [],
    encoding: task?.summary?.encoding ?? null,
    dialect: task?.summary?.dialect ?? null,
    labels: task?.labels ?? [],
    schemaSource,
    ...(schemaError ? { schemaError } : {}),
  };
}

export interface ResourceCheckInput {
  dataset: CheckableDataset;
  resource: CheckableResource;
  previous: ResourceQualityState | undefined;
  runId: string;
  now: Date;
  caps: CheckCaps;
  limiter: HostLimiter;
}

/**
 * Checks one resource: a conditional GET (politely, through the per-host limiter), the body
 * streamed into the validator when it is a table, then metadata and freshness. Never throws
 * for what the server does (every failure is an availability result); throws only when the
 * host stays busy past the limiter's wait, so the job is retried later. The whole check is
 * bounded by the fetch timeout: a server that hangs or trickles costs at most that.
 */
export async function checkResource(input: ResourceCheckInput): Promise<QualityReportInput> {
  const { dataset, resource, previous, caps } = input;
  const availability: Record<string, unknown> & { ok: boolean } = {
    ok: false,
    status: null,
    finalUrl: null,
    redirects: 0,
    contentType: null,
    declaredFormat: resource.format ?? null,
    contentTypeMatches: null,
    bytes: null,
    ms: 0,
    error: null,
  };
  let validity: Record<string, unknown> = { ok: null, status: 'not_checked' };
  let skipped: 'not_modified' | undefined;
  let etag: string | undefined;
  let lastModified: string | undefined;
  // Waiting for the host's turn is politeness, not the server's fault: the clock starts after.
  const lease = await input.limiter.acquire(resource.url);
  const started = performance.now();
  // The validator's CPU time counts too: the job slot is freed at the timeout, whatever happens.
  const guard = AbortSignal.timeout(caps.timeoutMs + 1_000);
  try {
    const response = await safeFetch(resource.url, {
      allowPrivateNetwork: caps.allowPrivateNetwork,
      maxBytes: caps.maxBytes,
      timeoutMs: caps.timeoutMs,
      maxRedirects: caps.maxRedirects,
      ifNoneMatch: previous?.etag ?? undefined,
      ifModifiedSince: previous?.lastModified ?? undefined,
      signal: guard,
    });
    const contentType = (response.headers['content-type'] as string | undefined) ?? null;
    Object.assign(availability, {
      status: response.status,
      finalUrl: response.finalUrl,
      redirects: response.redirects.length,
      contentType,
      contentTypeMatches: contentTypeMatches(resource.format, contentType),
    });
    etag = (response.headers.etag as string | undefined) ?? undefined;
    lastModified = (response.headers['last-modified'] as string | undefined) ?? undefined;
    if (response.notModified) {
      response.body.destroy();
      availability.ok = true;
      availability.contentTypeMatches = previous?.availability.contentTypeMatches ?? null;
      skipped = 'not_modified';
      etag ??= previous?.etag ?? undefined;
      lastModified ??= previous?.lastModified ?? undefined;
      validity = previous?.validity
        ? { ...previous.validity, reusedFrom: previous.lastReportId }
        : { ok: null, status: 'not_checked' };
    } else if (response.status >= 200 && response.status < 300) {
      availability.ok = true;
      const format = tableFormat(resource, contentType);
      if (format) {
        let bodyError: unknown;
        response.body.on('error', (error) => {
          bodyError = error;
        });
        const schema = await schemaFor(resource, caps, guard);
        const report = await validate(response.body, {
          ...(schema.schema ? { schema: schema.schema } : {}),
          format,
          ...(compressionOf(response.finalUrl) ? { compression: compressionOf(response.finalUrl) } : {}),
          limitErrors: 1000,
          caps: { maxBytes: caps.maxBytes, timeoutMs: caps.timeoutMs, maxRedirects: caps.maxRedirects },
          signal: guard,
        });
        response.body.destroy();
        availability.bytes = report.tasks[0]?.stats.bytes ?? null;
        if (bodyError || guard.aborted) {
          // The body broke off (timeout, cap, reset): the file is not available whole.
          const error = bodyError ?? guard.reason;
          availability.ok = false;
          availability.error = {
            code: isFetchError(error) ? error.code : 'timeout',
            message: (error as Error)?.message ?? 'aborted',
          };
          validity = { ok: null, status: 'not_checked' };
        } else validity = validitySummary(report, schema.source, schema.error);
      } else {
        const length = Number(response.headers['content-length']);
        availability.bytes = Number.isFinite(length) ? length : null;
        response.body.destroy();
        validity = { ok: null, status: 'not_tabular' };
      }
    } else {
      response.body.destroy();
      availability.error = { code: 'http_status', message: `HTTP ${response.status}` };
    }
  } catch (error) {
    if (error instanceof HostBusyError) throw error;
    if (isFetchError(error)) availability.error = { code: error.code, message: error.message };
    else if (guard.aborted)
      availability.error = { code: 'timeout', message: `no answer within ${caps.timeoutMs} ms` };
    else throw error;
  } finally {
    await lease.release().catch(() => {});
  }
  availability.ms = Math.round(performance.now() - started);
  const metadata = metadataFamily(dataset, resource);
  const fresh = freshnessFamily(dataset, input.now);
  const failing = [
    ...(availability.ok ? [] : ['availability' as const]),
    ...(validity.ok === false ? ['validity' as const] : []),
    ...(metadata.ok ? [] : ['metadata' as const]),
    ...(fresh.ok ? [] : ['freshness' as const]),
  ];
  return {
    datasetId: dataset._id as never,
    resourceId: resource._id,
    runId: input.runId,
    organisationId: dataset.organisationId as never,
    checkedAt: input.now,
    durationMs: availability.ms as number,
    url: resource.url,
    ...(skipped ? { skipped } : {}),
    ...(etag ? { etag } : {}),
    ...(lastModified ? { lastModified } : {}),
    availability,
    validity,
    metadata,
    freshness: fresh,
    failing,
  };
}
