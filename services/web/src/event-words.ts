import type { MessageKey, Translate } from './i18n/index.ts';
import { routingWords } from './routing-words.ts';

/** The parts of a timeline entry the words are made from (see TimelineEntry in ticket-parts.ts). */
export interface EventEntry {
  type: string;
  action?: unknown;
  fields?: unknown;
}

/** A date in the reader's language and time zone (the page passes its own formatter). */
export type FormatAt = (at: Date | string) => string;

type Fields = Record<string, unknown>;

const FAMILIES = ['availability', 'validity', 'metadata', 'freshness'];
const SLA_TARGETS = ['firstResponse', 'resolution'];

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isAt = (value: unknown): value is Date | string =>
  value instanceof Date || (typeof value === 'string' && !Number.isNaN(Date.parse(value)));

function targetName(t: Translate, target: string): string {
  return SLA_TARGETS.includes(target) ? t(`events.sla.target.${target}` as MessageKey) : target;
}

/** Where a reader sees the report: the report page when the id is known, else the stored address. */
function reportOf(f: Fields): string | null {
  if (isText(f.reportId) && /^qr-[0-9a-f]{32}$/.test(f.reportId)) return `/informes/${f.reportId}`;
  return isText(f.reportUrl) ? f.reportUrl : null;
}

function qualityFailed(t: Translate, f: Fields): string | null {
  const report = reportOf(f);
  if (!report || !isText(f.family) || !FAMILIES.includes(f.family)) return null;
  if (f.family === 'validity' && isCount(f.errorCount))
    return t('events.quality.failed.validityCount', { count: f.errorCount, report });
  return t(`events.quality.failed.${f.family}` as MessageKey, { report });
}

function slaWords(t: Translate, type: string, f: Fields, formatAt: FormatAt): string | null {
  if (!isText(f.target) || !isAt(f.due)) return null;
  const vars = { target: targetName(t, f.target), due: formatAt(f.due) };
  if (type === 'sla_warning') return t('events.sla.warning', vars);
  if (type === 'sla_breached') return t('events.sla.breached', vars);
  if (!isCount(f.level)) return null;
  return t('events.sla.escalated', { ...vars, level: f.level });
}

/**
 * Why a system event happened, in the reader's language, from the data the event keeps in
 * `fields`; null for other events and for those stored before the data was kept (the page then
 * shows the stored `reason`, in English, as it was written).
 */
export function eventWords(
  t: Translate,
  entry: EventEntry,
  formatAt: FormatAt = (at) => String(at),
): string | null {
  const f = (entry.fields && typeof entry.fields === 'object' ? entry.fields : {}) as Fields;
  switch (entry.type) {
    case 'routed':
      return routingWords(t, entry.fields);
    case 'moderation_flagged': {
      const words = Array.isArray(f.spamWords) ? f.spamWords.filter(isText) : [];
      return words.length ? t('events.moderation.spamWords', { words: words.join(', ') }) : null;
    }
    case 'hidden_pending_moderation':
      return isCount(f.flags) ? t('events.moderation.ticketHidden', { flags: f.flags }) : null;
    case 'comment_hidden':
      return isCount(f.flags) ? t('events.moderation.commentHidden', { flags: f.flags }) : null;
    case 'reporter_anonymised':
      return isCount(f.months) ? t('events.retention.anonymised', { months: f.months }) : null;
    case 'quality_check_failed':
      return qualityFailed(t, f);
    case 'status_changed':
      if (!reportOf(f)) return null;
      if (entry.action === 'auto_resolve') return t('events.quality.passed', { report: reportOf(f)! });
      if (entry.action === 'regress') return t('events.quality.failedAgain', { report: reportOf(f)! });
      return null;
    case 'sla_warning':
    case 'sla_breached':
    case 'sla_escalated':
      return slaWords(t, entry.type, f, formatAt);
    default:
      return null;
  }
}
