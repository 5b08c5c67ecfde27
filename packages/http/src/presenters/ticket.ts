import { currentResolution, type OutcomeEvent } from '@quipu/core/tickets';
import type { TicketRecord } from '@quipu/db';

/**
 * Presenters decide what leaves the server: raw documents never do. The reporter's identity
 * (Ley 29733) appears only in `presentTicketForStaff` and in the reporter's own tracking view.
 */
type Comment = NonNullable<TicketRecord['comments']>[number];
type Event = NonNullable<TicketRecord['events']>[number] & Record<string, unknown>;

function publicComment(comment: Comment) {
  const author = comment.author as { kind: string; name?: string | null };
  return {
    id: comment._id,
    author: { kind: author.kind, name: author.kind === 'reporter' ? null : (author.name ?? null) },
    body: comment.hidden ? null : comment.body,
    hidden: Boolean(comment.hidden),
    attachments: comment.hidden
      ? []
      : (comment.attachments ?? []).map((a) => ({ name: a.name, size: a.size, mediaType: a.mediaType })),
    at: comment.at,
  };
}

/**
 * The one piece of an event's data the public may see: the quality report a system change cites
 * (reports are public), so the page can say "the check passed" in the reader's language.
 */
function publicReport(event: Event): { reportId: string; reportUrl?: string } | null {
  const fields = event.fields as { reportId?: unknown; reportUrl?: unknown } | undefined;
  const actor = event.actor as { role?: string } | undefined;
  if (actor?.role !== 'system' || typeof fields?.reportId !== 'string') return null;
  return {
    reportId: fields.reportId,
    ...(typeof fields.reportUrl === 'string' ? { reportUrl: fields.reportUrl } : {}),
  };
}

function timelineEntry(event: Event, options: { staff: boolean }) {
  const actor = (event.actor ?? {}) as { id?: string | null; role?: string; name?: string };
  return {
    id: event._id,
    type: event.type,
    ...(event.action ? { action: event.action } : {}),
    actor: {
      role: actor.role ?? null,
      name: options.staff || actor.role !== 'reporter' ? (actor.name ?? null) : null,
      ...(options.staff ? { id: actor.id ?? null } : {}),
    },
    from: event.from ?? null,
    to: event.to ?? null,
    ...(event.reason ? { reason: event.reason } : {}),
    ...(options.staff && event.fields ? { fields: event.fields } : {}),
    ...(!options.staff && publicReport(event) ? { fields: publicReport(event) } : {}),
    at: event.at,
  };
}

function slaSummary(ticket: TicketRecord) {
  const sla = ticket.sla;
  if (!sla?.policyId) return null;
  return {
    policy: sla.policyId,
    calendar: sla.calendarId ?? null,
    startedAt: sla.startedAt ?? null,
    firstResponseAt: sla.firstResponseAt ?? null,
    breached: Boolean(sla.breached),
    targets: (sla.targets ?? []).map((t) => ({
      target: t.target,
      dueAt: t.dueAt ?? null,
      state: t.state ?? null,
      metAt: t.metAt ?? null,
      breachedAt: t.breachedAt ?? null,
    })),
  };
}

function base(ticket: TicketRecord) {
  return {
    ref: ticket.ref,
    kind: ticket.kind,
    category: ticket.category ?? null,
    title: ticket.title,
    description: ticket.description,
    status: ticket.status,
    organisationId: String(ticket.organisationId),
    dataset: ticket.datasetId
      ? {
          id: String(ticket.datasetId),
          title: ticket.datasetTitle ?? null,
          resourceId: ticket.resourceId ?? null,
        }
      : null,
    supportersCount: ticket.supportersCount ?? 0,
    followersCount: ticket.followersCount ?? 0,
    expectedDate: ticket.expectedDate ?? null,
    fulfilledByDatasetId: ticket.fulfilledByDatasetId ? String(ticket.fulfilledByDatasetId) : null,
    duplicateOf: ticket.duplicateOf ?? null,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    resolvedAt: ticket.resolvedAt ?? null,
    closedAt: ticket.closedAt ?? null,
    // Public with the resolve event itself: the answer the reporter is asked to confirm.
    resolution: currentResolution((ticket.events ?? []) as OutcomeEvent[]),
  };
}

/** For lists: no description body beyond a preview, no timeline. */
export function presentTicketSummary(ticket: TicketRecord) {
  const { description, ...rest } = base(ticket);
  return { ...rest, excerpt: description.length > 280 ? `${description.slice(0, 277)}…` : description };
}

export function presentPublicTicket(ticket: TicketRecord) {
  return {
    ...base(ticket),
    sla: slaSummary(ticket),
    comments: (ticket.comments ?? []).filter((c) => c.visibility === 'public').map(publicComment),
    timeline: (ticket.events ?? [])
      .filter((e) => e.public)
      .map((e) => timelineEntry(e as Event, { staff: false })),
  };
}

/** The reporter's own view through the tracking link: their details, public conversation. */
export function presentTicketForReporter(ticket: TicketRecord) {
  return {
    ...presentPublicTicket(ticket),
    reporter: {
      name: ticket.reporter?.name ?? null,
      email: ticket.reporter?.email ?? null,
      emailVerified: Boolean(ticket.reporter?.emailVerified),
      unsubscribed: Boolean(ticket.reporter?.unsubscribed),
    },
    visibility: ticket.visibility,
    satisfaction: ticket.satisfaction?.answer ?? null,
  };
}

export function presentTicketForStaff(ticket: TicketRecord) {
  return {
    id: String(ticket._id),
    ...base(ticket),
    priority: ticket.priority,
    regime: ticket.regime ?? null,
    teamId: ticket.teamId ? String(ticket.teamId) : null,
    assigneeId: ticket.assigneeId ? String(ticket.assigneeId) : null,
    visibility: ticket.visibility,
    flagCount: ticket.flagCount ?? 0,
    moderation: ticket.moderation ?? null,
    reopenCount: ticket.reopenCount ?? 0,
    reporter: ticket.reporter
      ? {
          name: ticket.reporter.name ?? null,
          email: ticket.reporter.email ?? null,
          emailVerified: Boolean(ticket.reporter.emailVerified),
          language: ticket.reporter.language ?? 'es',
        }
      : null,
    sla: slaSummary(ticket),
    routing: ticket.routing ?? null,
    satisfaction: ticket.satisfaction?.answer ?? null,
    comments: (ticket.comments ?? []).map((c) => ({
      ...publicComment(c),
      body: c.body,
      visibility: c.visibility,
      author: c.author,
      flagCount: c.flagCount ?? 0,
    })),
    timeline: (ticket.events ?? []).map((e) => ({
      ...timelineEntry(e as Event, { staff: true }),
      public: Boolean(e.public),
    })),
  };
}

export function presentStaffSummary(ticket: TicketRecord) {
  return {
    ...presentTicketSummary(ticket),
    id: String(ticket._id),
    priority: ticket.priority,
    teamId: ticket.teamId ? String(ticket.teamId) : null,
    assigneeId: ticket.assigneeId ? String(ticket.assigneeId) : null,
    visibility: ticket.visibility,
    sla: slaSummary(ticket),
  };
}
