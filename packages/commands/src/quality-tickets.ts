import { formatRef, INITIAL_STATUS, planTransition, statusesIn } from '@quipu/core/tickets';
import type { QualityFamily, TicketRecord } from '@quipu/db';
import { isDuplicateKeyError } from '@quipu/db';
import { Types } from 'mongoose';
import { openCountsOf } from './assignment-loads.ts';
import type { CommandContext } from './context.ts';
import { needsNotification, notifyEntry, type StoredEvent, storedEvent } from './events.ts';
import { withKeyLock } from './key-lock.ts';
import { SYSTEM } from './principal.ts';
import { nextRefNumber } from './refs.ts';
import { recordRotation, routedEvent, routeTicket } from './routing.ts';
import { computeTicketSla } from './sla/compute.ts';
import { snapshotOf } from './tickets/load.ts';

export {
  qualitySubscriptionToken,
  subscribeToDatasetQuality,
  unsubscribeDatasetQuality,
  verifyDatasetQualitySubscription,
} from './quality-subscriptions.ts';

/** Consecutive failing runs before a ticket opens when neither the dataset nor config says (flapping links). */
export const DEFAULT_FAILURES_BEFORE_TICKET = 3;

/** Families where one failing run is enough: re-reading the same file gives the same errors. */
const DETERMINISTIC: ReadonlySet<QualityFamily> = new Set(['validity', 'metadata', 'freshness']);

export interface QualityTicketProps {
  dataset: {
    _id: unknown;
    title: string;
    organisationId: unknown;
    officerIds?: unknown[] | null;
    tags?: string[] | null;
    landingPage?: string | null;
  };
  /** The resource the family is about; null for dataset-level families (metadata, freshness). */
  resource: { _id: string; name?: string | null; format?: string | null; url?: string | null } | null;
  family: QualityFamily;
  failing: boolean;
  /** Consecutive failing runs, this one included (0 when passing). */
  streak: number;
  /** Failing runs needed before a ticket opens for an unreliable family (availability). */
  failuresBeforeTicket: number;
  /** The report that decided, and a one-line account of what it found. */
  report: { id: string; summary: string; errorCount?: number | undefined };
  /** The file did not change since the run that found the problem (a 304): an open ticket has nothing new to record. */
  unchanged?: boolean | undefined;
}

export type QualityTicketOutcome =
  | { action: 'none'; reason: string; ticket?: TicketRecord }
  | { action: 'opened' | 'updated' | 'regressed' | 'resolved'; ticket: TicketRecord };

export function qualityDedupeKey(
  datasetId: string,
  resourceId: string | null,
  family: QualityFamily,
): string {
  return `quality:${datasetId}:${resourceId ?? 'dataset'}:${family}`;
}

export function reportPath(reportId: string): string {
  return `/api/v1/reports/${reportId}`;
}

const TITLES: Record<QualityFamily, (name: string) => string> = {
  availability: (name) => `Recurso no disponible: ${name}`,
  validity: (name) => `Errores de validación en ${name}`,
  metadata: (name) => `Metadatos incompletos: ${name}`,
  freshness: (name) => `Datos desactualizados: ${name}`,
};

const OPEN = new Set(statusesIn('quality_issue', 'open') as readonly string[]);

function hasReportEvent(ticket: TicketRecord, type: string, reportId: string): boolean {
  return (ticket.events ?? []).some(
    (e) => e.type === type && (e.fields as { reportId?: string } | undefined)?.reportId === reportId,
  );
}

/**
 * Keeps the one ticket of a (dataset, resource, family) problem in step with the latest check:
 * opens it after enough consecutive failures (routed, on its SLA clock), records each later
 * failing run on it (`quality_check_failed`, never a second ticket), resolves it automatically
 * when a run passes and reopens it (`regress`) when the problem comes back. Idempotent per
 * report: the same report twice changes nothing the second time.
 */
export async function syncQualityTicket(
  ctx: CommandContext,
  props: QualityTicketProps,
): Promise<QualityTicketOutcome> {
  const key = qualityDedupeKey(String(props.dataset._id), props.resource?._id ?? null, props.family);
  // Two workers checking the same resource at once take turns on its ticket (key-lock.ts).
  return await withKeyLock(ctx, key, () => syncLocked(ctx, key, props));
}

async function syncLocked(
  ctx: CommandContext,
  key: string,
  props: QualityTicketProps,
): Promise<QualityTicketOutcome> {
  let existing = await ctx.tickets.findByDedupeKey(key);
  if (!props.failing) {
    if (!existing) return { action: 'none', reason: 'passing, no ticket' };
    if (!OPEN.has(existing.status))
      return { action: 'none', reason: 'passing, ticket not open', ticket: existing };
    return await autoResolve(ctx, existing, props);
  }
  if (!existing) {
    const needed = DETERMINISTIC.has(props.family) ? 1 : Math.max(1, props.failuresBeforeTicket);
    if (props.streak < needed)
      return { action: 'none', reason: `failing ${props.streak} of ${needed} runs before a ticket` };
    try {
      return { action: 'opened', ticket: await openQualityTicket(ctx, key, props) };
    } catch (error) {
      // Another worker opened it first (unique dedupeKey): update that one instead.
      if (!isDuplicateKeyError(error)) throw error;
      existing = await ctx.tickets.findByDedupeKey(key);
      if (!existing) throw error;
    }
  }
  if (hasReportEvent(existing, 'quality_check_failed', props.report.id))
    return { action: 'none', reason: 'report already recorded', ticket: existing };
  if (existing.status === 'resolved') return await regress(ctx, existing, props);
  if (props.unchanged && OPEN.has(existing.status))
    return { action: 'none', reason: 'file unchanged, already recorded', ticket: existing };
  // Open tickets record the run; closed or duplicate ones keep the record without reopening
  // (an officer dismissed it, or it was closed for good — see the README of core/tickets).
  const now = ctx.now();
  const updated = await ctx.tickets.applyChange(SYSTEM.scope, {
    id: String(existing._id),
    expectedStatus: existing.status,
    events: [failedEvent(props, now)],
  });
  return updated
    ? { action: 'updated', ticket: updated }
    : { action: 'none', reason: 'concurrent change', ticket: existing };
}

function failedEvent(props: QualityTicketProps, now: Date): StoredEvent {
  return storedEvent({
    type: 'quality_check_failed',
    actor: { id: null, role: 'system' },
    fields: {
      reportId: props.report.id,
      reportUrl: reportPath(props.report.id),
      family: props.family,
      resourceId: props.resource?._id ?? null,
      ...(props.report.errorCount !== undefined ? { errorCount: props.report.errorCount } : {}),
    },
    reason: props.report.summary,
    at: now,
  });
}

/** The dataset's responsible officers take the ticket when routing found no team to assign it. */
async function officerFallback(ctx: CommandContext, officerIds: string[]): Promise<string | null> {
  if (officerIds.length === 0) return null;
  const users = await ctx.directory.findUsers(officerIds);
  const active = officerIds.filter((id) => {
    const user = users.find((u) => String(u._id) === id);
    return user && user.active !== false && user.away !== true;
  });
  if (active.length === 0) return null;
  const counts = await openCountsOf(ctx, active);
  return [...active].sort((a, b) => (counts[a] ?? 0) - (counts[b] ?? 0))[0] ?? null;
}

async function openQualityTicket(
  ctx: CommandContext,
  key: string,
  props: QualityTicketProps,
): Promise<TicketRecord> {
  const now = ctx.now();
  const organisation = await ctx.directory.findOrganisation(
    { kind: 'everything' },
    String(props.dataset.organisationId),
  );
  if (!organisation) throw new Error(`dataset ${String(props.dataset._id)} has no organisation`);
  const routing = await routeTicket(ctx, {
    kind: 'quality_issue',
    category: props.family,
    organisation,
    datasetTags: props.dataset.tags ?? [],
    resourceFormat: props.resource?.format?.toLowerCase() ?? null,
  });
  let assigneeId = routing.assigneeId;
  let assignmentReason = routing.assignmentReason;
  let assignment = routing.assignment;
  if (!assigneeId) {
    assigneeId = await officerFallback(ctx, (props.dataset.officerIds ?? []).map(String));
    if (assigneeId) {
      assignmentReason = 'responsible officer of the dataset';
      assignment = { outcome: 'dataset_officer', strategy: assignment?.strategy ?? 'manual' };
    }
  }
  const id = new Types.ObjectId();
  const ticketId = id.toHexString();
  const status = INITIAL_STATUS.quality_issue;
  const created = storedEvent(
    { type: 'created', actor: { id: null, role: 'system' }, to: status, at: now },
    { public: true, effects: assigneeId ? ['notifyAssignee'] : [] },
  );
  const events = [
    created,
    routedEvent(
      { ...routing, assigneeId, assignment },
      { at: now, reason: [routing.reason, assignmentReason].filter(Boolean).join('; ') },
    ),
    failedEvent(props, now),
  ];
  const name = props.resource?.name || props.resource?._id || props.dataset.title;
  const doc = {
    _id: id,
    kind: 'quality_issue',
    category: props.family,
    title: TITLES[props.family](props.resource ? `${name} (${props.dataset.title})` : props.dataset.title),
    description: `${props.report.summary}\n\nInforme: ${reportPath(props.report.id)}`,
    status,
    priority: 'normal',
    organisationId: routing.organisation._id,
    organisationAncestorIds: routing.organisation.ancestorIds ?? [],
    ...(routing.team ? { teamId: routing.team._id } : {}),
    ...(assigneeId ? { assigneeId: new Types.ObjectId(assigneeId) } : {}),
    datasetId: new Types.ObjectId(String(props.dataset._id)),
    datasetTitle: props.dataset.title,
    ...(props.dataset.landingPage ? { datasetUrl: props.dataset.landingPage } : {}),
    ...(props.resource ? { resourceId: props.resource._id } : {}),
    // Found by a machine, about public data: nothing personal to hide.
    visibility: 'public',
    routing: { ruleId: routing.ruleId, reason: routing.reason },
    lastPublicActivityAt: now,
    events,
    createdAt: now,
  };
  const sla = await computeTicketSla(
    ctx,
    { ...doc, events: [], sla: undefined } as never,
    events,
    now,
    ctx.domain.calendars.get(routing.organisation.calendarId ?? '') ??
      ctx.domain.calendars.get(ctx.domain.defaultCalendarId),
  );
  const year = Number(
    new Intl.DateTimeFormat('en', { timeZone: ctx.config.portal.timeZone, year: 'numeric' }).format(now),
  );
  for (let attempt = 0; ; attempt += 1) {
    const ref = formatRef(year, await nextRefNumber(ctx, year));
    try {
      const ticket = await ctx.tickets.insert({
        ...doc,
        ref,
        dedupeKey: key,
        ...(sla ? { sla: sla.block } : {}),
        outbox: [
          ...(needsNotification(created) ? [notifyEntry(ticketId, created, now)] : []),
          ...(sla?.outbox ?? []),
        ],
      });
      await recordRotation(ctx, routing);
      await ctx.kickOutbox(ticketId);
      return ticket;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // A duplicate dedupeKey is the caller's business (update instead); a duplicate ref is a
      // ticket stored before reference claims existed: take the next number.
      if ((await ctx.tickets.findByDedupeKey(key)) || attempt >= 20) throw error;
    }
  }
}

async function transition(
  ctx: CommandContext,
  ticket: TicketRecord,
  action: 'auto_resolve' | 'regress',
  extra: { events: StoredEvent[]; reason: string; reportId: string; comment?: string },
): Promise<TicketRecord | null> {
  const now = ctx.now();
  const plan = planTransition({ ticket: snapshotOf(ticket), action, actor: SYSTEM.actor, input: {}, now });
  if (!plan.ok) return null;
  const event = storedEvent(
    {
      ...plan.event,
      reason: extra.reason,
      fields: { ...plan.event.fields, reportId: extra.reportId, reportUrl: reportPath(extra.reportId) },
    } as never,
    { public: true, effects: plan.effects },
  );
  const events = [...extra.events, event];
  const set: Record<string, unknown> = { status: plan.to, lastPublicActivityAt: now };
  if (plan.to === 'resolved') {
    set.resolvedAt = now;
    if (!ticket.firstResolvedAt) set.firstResolvedAt = now;
  }
  const ticketId = String(ticket._id);
  const outbox = events.filter(needsNotification).map((e) => notifyEntry(ticketId, e, now));
  const sla = await computeTicketSla(ctx, { ...ticket, status: plan.to } as TicketRecord, events, now);
  if (sla) {
    set.sla = sla.block;
    outbox.push(...sla.outbox);
  }
  const comment = extra.comment
    ? {
        _id: `c-${event._id}`,
        visibility: 'public',
        author: { kind: 'system', name: 'Quipu' },
        body: extra.comment,
        attachments: [],
        flagCount: 0,
        hidden: false,
        at: now,
      }
    : null;
  const updated = await ctx.tickets.applyChange(SYSTEM.scope, {
    id: ticketId,
    expectedStatus: ticket.status,
    set,
    ...(action === 'regress' ? { inc: { reopenCount: 1 } } : {}),
    ...(comment ? { push: { comments: [comment] } } : {}),
    events,
    outbox,
  });
  if (updated && outbox.length) await ctx.kickOutbox(ticketId);
  return updated;
}

async function autoResolve(
  ctx: CommandContext,
  ticket: TicketRecord,
  props: QualityTicketProps,
): Promise<QualityTicketOutcome> {
  const url = reportPath(props.report.id);
  const updated = await transition(ctx, ticket, 'auto_resolve', {
    events: [],
    reason: `check passed: ${url}`,
    reportId: props.report.id,
    comment: `Resuelto automáticamente: la comprobación ${url} pasó.`,
  });
  return updated
    ? { action: 'resolved', ticket: updated }
    : { action: 'none', reason: 'concurrent change', ticket };
}

async function regress(
  ctx: CommandContext,
  ticket: TicketRecord,
  props: QualityTicketProps,
): Promise<QualityTicketOutcome> {
  const updated = await transition(ctx, ticket, 'regress', {
    events: [failedEvent(props, ctx.now())],
    reason: `check failed again: ${reportPath(props.report.id)}`,
    reportId: props.report.id,
  });
  return updated
    ? { action: 'regressed', ticket: updated }
    : { action: 'none', reason: 'concurrent change', ticket };
}
