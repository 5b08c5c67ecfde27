import type { TicketRecord, UserRecord } from '@quipu/db';
import type { Notification } from '@quipu/mail';
import type { links as linksOf } from './links.ts';

/** One e-mail to send: `key` makes the notification id `<event>:<key>` (never sent twice). */
export interface Recipient {
  key: string;
  to: string;
  recipientKind: 'reporter' | 'follower' | 'supporter' | 'assignee' | 'team_lead' | 'manager';
  language: 'es' | 'en';
  notification: Notification;
  unsubscribeUrl?: string;
  /** A follower who asked for the daily digest instead of one e-mail per update. */
  digest?: boolean;
}

type Event = Record<string, unknown> & { _id: string; type: string; effects?: string[] };

export interface RecipientInputs {
  ticket: TicketRecord;
  event: Event;
  assignee: UserRecord | null;
  followers: Array<{ id: string; email: string; language: string; digest?: boolean }>;
  links: ReturnType<typeof linksOf>;
}

const lang = (value: unknown): 'es' | 'en' => (value === 'en' ? 'en' : 'es');

function excerptOf(text: string): string {
  return text.length > 400 ? `${text.slice(0, 397)}…` : text;
}

/**
 * Who hears about an event, and what. The event's effect hints (from the state table of
 * @quipu/core/tickets) name the audiences; a reporter who unsubscribed is left out here.
 */
export function recipientsFor(input: RecipientInputs): Recipient[] {
  const { ticket, event, assignee, followers, links } = input;
  const effects = new Set(event.effects ?? []);
  const out: Recipient[] = [];
  const ticketId = String(ticket._id);
  const reporter = ticket.reporter;
  const reporterReachable = Boolean(reporter?.email) && !reporter?.unsubscribed && !reporter?.anonymisedAt;
  // The one rule for e-mail about a case (web README, "Who gets e-mail"): an address that is not
  // confirmed gets only the acknowledgement that carries the confirmation link, and officers hear
  // of a case once its reporter confirmed it (spam-suspected ones wait for moderation; a case
  // without a reporter address reaches them at once).
  // Judged as of the event, so that running its job again after the confirmation sends nothing new.
  const verifiedAt = (ticket.events ?? []).find((e) => e.type === 'reporter_verified')?.at;
  const eventAt = event.at instanceof Date || typeof event.at === 'string' ? new Date(event.at) : null;
  const confirmed =
    Boolean(reporter?.emailVerified) &&
    (verifiedAt === undefined || eventAt === null || new Date(verifiedAt) <= eventAt);
  // A case with no reporter address (a quality check's, a staff member's) has nothing to confirm.
  const awaitingConfirmation = Boolean(reporter?.email) && !confirmed;
  const officersMayHear = !awaitingConfirmation && !ticket.moderation?.spamSuspected;
  const publicLink = { ref: ticket.ref, title: ticket.title, url: links.ticket(ticket.ref) };
  const reporterLink = { ...publicLink, url: links.tracking(ticketId) };
  const staffLink = { ...publicLink, url: links.staffTicket(ticket.ref) };
  const toReporter = (notification: Notification) => {
    if (!reporterReachable) return;
    if (!confirmed && notification.kind !== 'reporter_acknowledgement') return;
    out.push({
      key: 'reporter',
      to: reporter!.email!,
      recipientKind: 'reporter',
      language: lang(reporter!.language),
      notification,
      unsubscribeUrl: links.reporterUnsubscribe(ticketId),
    });
  };
  const toFollowers = (make: (audience: 'follower') => Notification) => {
    for (const follower of followers) {
      if (follower.email === reporter?.email) continue;
      out.push({
        key: `follower-${follower.id}`,
        to: follower.email,
        recipientKind: 'follower',
        language: lang(follower.language),
        notification: make('follower'),
        unsubscribeUrl: links.subscriptionUnsubscribe(follower.id),
        digest: follower.digest === true,
      });
    }
  };
  const toAssignee = (notification: Notification) => {
    if (!assignee || assignee.active === false) return;
    out.push({
      key: `assignee-${assignee._id}`,
      to: assignee.email,
      recipientKind: 'assignee',
      language: lang(assignee.language),
      notification,
    });
  };
  const resolutionDue =
    (ticket.sla?.targets ?? []).find((t) => t.target === 'resolution')?.dueAt ?? undefined;
  const dues = (ticket.sla?.targets ?? [])
    .filter((t) => t.dueAt)
    .map((t) => ({ target: t.target === 'firstResponse' ? 'first_response' : t.target, dueAt: t.dueAt! }));
  const assignment = (): Notification => ({
    kind: 'assignment',
    data: {
      ...(assignee?.name ? { assigneeName: assignee.name } : {}),
      ticket: staffLink,
      kind: ticket.kind,
      ...(ticket.category ? { category: ticket.category } : {}),
      priority: ticket.priority ?? 'normal',
      ...(ticket.datasetTitle ? { datasetTitle: ticket.datasetTitle } : {}),
      due: dues,
    },
  });

  switch (event.type) {
    case 'created':
      toReporter({
        kind: 'reporter_acknowledgement',
        data: {
          ...(reporter?.name ? { reporterName: reporter.name } : {}),
          ref: ticket.ref,
          title: ticket.title,
          trackingUrl: links.tracking(ticketId),
          ...(reporter?.emailVerified ? {} : { verificationUrl: links.verification(ticketId) }),
          ...(resolutionDue ? { dueAt: resolutionDue } : {}),
        },
      });
      if (effects.has('notifyAssignee') && officersMayHear) toAssignee(assignment());
      break;
    case 'reporter_verified':
      // The assignee was left out while the address was unconfirmed: now is their first word.
      if (officersMayHear) toAssignee(assignment());
      break;
    case 'routed':
      if (effects.has('notifyAssignee') && officersMayHear) toAssignee(assignment());
      break;
    case 'assigned':
      // Someone on the desk chose the assignee: that is no news from an unconfirmed address.
      toAssignee(assignment());
      break;
    case 'status_changed': {
      const from = String(event.from ?? '');
      const to = String(event.to ?? '');
      const reason = typeof event.reason === 'string' && event.reason ? event.reason : undefined;
      const answer = (event.fields as { resolution?: unknown } | undefined)?.resolution;
      const resolution = typeof answer === 'string' && answer.trim() !== '' ? answer : undefined;
      const outcome = { ...(reason ? { reason } : {}), ...(resolution ? { resolution } : {}) };
      if (effects.has('notifyReporter')) {
        if (effects.has('askSatisfaction')) {
          toReporter({
            kind: 'resolution_question',
            data: {
              ...(reporter?.name ? { reporterName: reporter.name } : {}),
              ticket: reporterLink,
              yesUrl: links.satisfaction(ticketId, 'si'),
              noUrl: links.satisfaction(ticketId, 'no'),
              ...(resolution ? { resolution } : {}),
            },
          });
        } else {
          toReporter({
            kind: 'status_changed',
            data: { audience: 'reporter', ticket: reporterLink, from, to, ...outcome },
          });
        }
      }
      if (effects.has('notifyFollowers') || effects.has('notifyReporter')) {
        toFollowers((audience) => ({
          kind: 'status_changed',
          data: { audience, ticket: publicLink, from, to, ...outcome },
        }));
      }
      if (effects.has('notifyAssignee'))
        toAssignee({
          kind: 'status_changed',
          data: { audience: 'follower', ticket: staffLink, from, to, ...outcome },
        });
      break;
    }
    case 'comment_added': {
      const commentId = (event.fields as { commentId?: string } | undefined)?.commentId;
      const comment = (ticket.comments ?? []).find((c) => c._id === commentId);
      if (comment?.visibility !== 'public') break;
      const author = comment.author as { kind: string; name?: string };
      if (author.kind === 'reporter') {
        toAssignee({
          kind: 'reporter_replied',
          data: { ticket: staffLink, excerpt: excerptOf(comment.body) },
        });
      } else {
        const authorName = author.name ?? undefined;
        toReporter({
          kind: 'public_reply',
          data: {
            audience: 'reporter',
            ticket: reporterLink,
            ...(authorName ? { authorName } : {}),
            excerpt: excerptOf(comment.body),
          },
        });
        toFollowers((audience) => ({
          kind: 'public_reply',
          data: {
            audience,
            ticket: publicLink,
            ...(authorName ? { authorName } : {}),
            excerpt: excerptOf(comment.body),
          },
        }));
      }
      break;
    }
  }
  return out;
}
