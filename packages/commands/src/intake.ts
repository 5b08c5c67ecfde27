import { findSpamWords, formatRef, INITIAL_STATUS } from '@quipu/core/tickets';
import { isDuplicateKeyError, type OutboxEntry, type TicketRecord } from '@quipu/db';
import { Types } from 'mongoose';
import { effectiveCalendars } from './calendars.ts';
import type { CommandContext } from './context.ts';
import { CommandError } from './errors.ts';
import { notifyEntry, storedEvent } from './events.ts';
import { nextRefNumber } from './refs.ts';
import { recordRotation, routedEvent, routeTicket } from './routing.ts';
import { linkToken, sha256 } from './secrets.ts';
import { computeTicketSla } from './sla/compute.ts';
import { webhookEntries } from './webhooks.ts';

export interface OpenTicketProps {
  kind: 'complaint' | 'data_request';
  category?: string | undefined;
  title: string;
  description: string;
  /** Dataset id or slug; its organisation owns the ticket. */
  dataset?: string | undefined;
  resourceId?: string | undefined;
  /** A URL the reporter pasted, matched against the catalog when no dataset is named. */
  datasetUrl?: string | undefined;
  /** Organisation slug or id, when no dataset says whose it is (data requests). */
  organisation?: string | undefined;
  /** Legal regime the reporter invokes (access_to_information for Ley 27806 requests). */
  regime?: 'access_to_information' | 'complaints_book' | undefined;
  reporter: { email: string; name?: string | undefined; language: 'es' | 'en' };
  /** The reporter consented to the processing of their data (Ley 29733); intake refuses without it. */
  consent: boolean;
}

export interface OpenTicketResult {
  ticket: TicketRecord;
  trackingToken: string;
}

/** The year of an instant in the portal's time zone (refs follow the local calendar year). */
function localYear(at: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' }).format(at));
}

/**
 * A reuser's complaint or dataset request: resolved to an organisation (through the dataset
 * when there is one), routed to a team and officer, put on its SLA clock at once, and
 * acknowledged by e-mail with the tracking link that also verifies the address. It stays off
 * public lists until the e-mail is verified (and for ever when it concerns personal data).
 */
export async function openTicket(ctx: CommandContext, props: OpenTicketProps): Promise<OpenTicketResult> {
  if (!props.consent)
    throw new CommandError('consent_required', 'Consent to the processing of personal data is required.', {
      field: 'consent',
    });
  const now = ctx.now();
  let dataset = props.dataset ? await ctx.datasets.find(props.dataset) : null;
  if (props.dataset && !dataset)
    throw new CommandError('unknown_dataset', 'No such dataset.', { field: 'dataset' });
  if (!dataset && props.datasetUrl) dataset = await ctx.datasets.findByUrl(props.datasetUrl);
  const resource = props.resourceId ? dataset?.resources?.find((r) => r._id === props.resourceId) : undefined;
  if (props.resourceId && !resource)
    throw new CommandError('unknown_resource', 'No such resource in this dataset.', { field: 'resourceId' });

  const organisationKey = dataset ? String(dataset.organisationId) : props.organisation;
  if (!organisationKey) {
    throw new CommandError('organisation_required', 'Name the dataset or the organisation this is about.', {
      field: 'organisation',
    });
  }
  const organisation = await ctx.directory.findOrganisation({ kind: 'everything' }, organisationKey);
  if (!organisation)
    throw new CommandError('unknown_organisation', 'No such organisation.', { field: 'organisation' });

  const routing = await routeTicket(ctx, {
    kind: props.kind,
    category: props.category ?? null,
    organisation,
    datasetTags: dataset?.tags ?? [],
    resourceFormat: resource?.format ?? null,
  });

  const id = new Types.ObjectId();
  const ticketId = id.toHexString();
  const year = localYear(now, ctx.config.portal.timeZone);
  const trackingToken = linkToken(ctx.config.session.secret, 'tracking', ticketId);
  // A separate token proves the address: it only travels in the e-mail, so whoever holds the
  // tracking link from the intake response cannot confirm an address that is not theirs.
  const verificationToken = linkToken(ctx.config.session.secret, 'verification', ticketId);
  const spamWords = findSpamWords(`${props.title}\n${props.description}`, ctx.config.intake.spamWords);
  const status = INITIAL_STATUS[props.kind];

  const created = storedEvent(
    { type: 'created', actor: { id: null, role: 'reporter' }, to: status, at: now },
    { public: true, effects: ['notifyReporter', ...(routing.assigneeId ? ['notifyAssignee'] : [])] },
  );
  const events = [
    created,
    routedEvent(routing, {
      at: now,
      reason: [routing.reason, routing.assignmentReason].filter(Boolean).join('; '),
    }),
  ];
  if (spamWords.length) {
    events.push(
      storedEvent({
        type: 'moderation_flagged',
        actor: { id: null, role: 'system' },
        reason: `spam words: ${spamWords.join(', ')}`,
        fields: { spamWords: [...spamWords] },
        at: now,
      }),
    );
  }

  const doc = {
    _id: id,
    kind: props.kind,
    category: props.category,
    ...(props.regime ? { regime: props.regime } : {}),
    title: props.title,
    description: props.description,
    status,
    priority: 'normal',
    organisationId: routing.organisation._id,
    organisationAncestorIds: routing.organisation.ancestorIds ?? [],
    ...(routing.team ? { teamId: routing.team._id } : {}),
    ...(routing.assigneeId ? { assigneeId: new Types.ObjectId(routing.assigneeId) } : {}),
    ...(dataset
      ? { datasetId: dataset._id, datasetTitle: dataset.title, datasetUrl: dataset.landingPage }
      : {}),
    ...(resource ? { resourceId: resource._id } : {}),
    ...(!dataset && props.datasetUrl ? { datasetUrl: props.datasetUrl } : {}),
    reporter: {
      email: props.reporter.email.trim().toLowerCase(),
      ...(props.reporter.name ? { name: props.reporter.name } : {}),
      emailVerified: false,
      consentAt: now,
      language: props.reporter.language,
      trackingTokenHash: sha256(trackingToken),
      verificationTokenHash: sha256(verificationToken),
    },
    visibility: 'pending',
    ...(spamWords.length ? { moderation: { spamSuspected: true, reasons: spamWords } } : {}),
    routing: { ruleId: routing.ruleId, reason: routing.reason },
    lastPublicActivityAt: now,
    events,
    createdAt: now,
  };
  const sla = await computeTicketSla(
    ctx,
    { ...doc, _id: id, events: [], sla: undefined, createdAt: now } as never,
    events,
    now,
    // Config calendars plus holidays decreed by admins.
    (await effectiveCalendars(ctx)).get(routing.organisation.calendarId ?? ''),
  );
  // The number is claimed (refs.ts); the unique index on `ref` still guards tickets stored
  // before claims existed: on a duplicate, take the next number.
  let ticket: TicketRecord | null = null;
  for (let attempt = 0; !ticket; attempt += 1) {
    const ref = formatRef(year, await nextRefNumber(ctx, year));
    try {
      ticket = await ctx.tickets.insert({
        ...doc,
        ref,
        dedupeKey: `manual:${ref}`,
        ...(sla ? { sla: sla.block } : {}),
        outbox: [
          notifyEntry(ticketId, created, now),
          ...(sla?.outbox ?? []),
          ...webhookEntries(ticketId, events, now),
        ],
      });
    } catch (error) {
      const duplicateRef = isDuplicateKeyError(error) && attempt < 20;
      if (!duplicateRef) throw error;
    }
  }
  await recordRotation(ctx, routing);
  await ctx.kickOutbox(ticketId, 'tickets', (ticket.outbox ?? []) as OutboxEntry[]);
  return { ticket, trackingToken };
}

/** Tracking link → the reporter's ticket (the link is the reporter's proof of identity). */
export async function ticketByTrackingToken(ctx: CommandContext, token: string): Promise<TicketRecord> {
  const ticket =
    token.length >= 20 && token.length <= 100 ? await ctx.tickets.findByTrackingHash(sha256(token)) : null;
  if (!ticket) throw new CommandError('not_found', 'No ticket for this link.', { what: 'ticket' });
  return ticket;
}

/**
 * The confirmation link of the acknowledgement e-mail proves the reporter owns the address: the
 * ticket becomes public (unless it concerns personal data or awaits moderation). Idempotent.
 */
export async function verifyReporterEmail(
  ctx: CommandContext,
  verificationToken: string,
): Promise<TicketRecord> {
  const ticket =
    verificationToken.length >= 20 && verificationToken.length <= 100
      ? await ctx.tickets.findByVerificationHash(sha256(verificationToken))
      : null;
  if (!ticket) throw new CommandError('not_found', 'No ticket for this link.', { what: 'ticket' });
  if (ticket.reporter?.emailVerified) return ticket;
  const now = ctx.now();
  const visible =
    ticket.category !== 'personal_data' &&
    !ticket.moderation?.spamSuspected &&
    ticket.visibility !== 'hidden';
  const event = storedEvent({ type: 'reporter_verified', actor: { id: null, role: 'reporter' }, at: now });
  const updated = await ctx.tickets.applyChange(
    { kind: 'everything' },
    {
      id: String(ticket._id),
      guard: { 'reporter.emailVerified': false },
      set: {
        'reporter.emailVerified': true,
        'reporter.verifiedAt': now,
        ...(visible ? { visibility: 'public' } : {}),
      },
      events: [event],
      // The assignee is told of the case now (notify leaves officers out until the confirmation).
      outbox: [notifyEntry(String(ticket._id), event, now)],
    },
  );
  if (updated) await ctx.kickOutbox(String(ticket._id), 'tickets', (updated.outbox ?? []) as OutboxEntry[]);
  return (
    updated ?? ((await ctx.tickets.findById({ kind: 'everything' }, String(ticket._id))) as TicketRecord)
  );
}
