import { createFormatter, type Formatter, type MailContext } from './format.ts';
import { type MailDocument, renderHtml, renderText } from './layout.ts';
import { ticketThreadId } from './message-id.ts';
import type { Notification, NotificationDataMap, NotificationKind } from './notification-types.ts';
import {
  deadlineExtension,
  emailVerification,
  publicReply,
  reporterAcknowledgement,
  resolutionQuestion,
  statusChanged,
} from './templates/reporter.ts';
import {
  assignment,
  dailyDigest,
  escalation,
  reporterReplied,
  slaBreach,
  slaWarning,
} from './templates/staff.ts';
import { followersDigest, qualityEvent } from './templates/subscriber.ts';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

type Templates = { [K in NotificationKind]: (data: NotificationDataMap[K], fmt: Formatter) => MailDocument };

const templates: Templates = {
  reporter_acknowledgement: reporterAcknowledgement,
  email_verification: emailVerification,
  status_changed: statusChanged,
  public_reply: publicReply,
  resolution_question: resolutionQuestion,
  deadline_extension: deadlineExtension,
  assignment,
  reporter_replied: reporterReplied,
  sla_warning: slaWarning,
  sla_breach: slaBreach,
  escalation,
  daily_digest: dailyDigest,
  followers_digest: followersDigest,
  quality_event: qualityEvent,
};

export const NOTIFICATION_KINDS = Object.keys(templates) as NotificationKind[];

export function isNotificationKind(value: string): value is NotificationKind {
  return Object.hasOwn(templates, value);
}

export function renderNotification<K extends NotificationKind>(
  kind: K,
  data: NotificationDataMap[K],
  ctx: MailContext,
): RenderedMail {
  const template = templates[kind] as (data: NotificationDataMap[K], fmt: Formatter) => MailDocument;
  if (typeof template !== 'function') throw new TypeError(`Unknown notification kind: ${String(kind)}`);
  const fmt = createFormatter(ctx);
  const doc = template(data, fmt);
  // A title typed with line breaks must not break the subject header into pieces.
  const subject = doc.subject.replace(/\s+/g, ' ').trim();
  const headers: Record<string, string> = {
    'Auto-Submitted': 'auto-generated',
    'Content-Language': fmt.lang,
    'X-Quipu-Notification': kind,
  };
  if (doc.ticketRef) {
    const thread = ticketThreadId(doc.ticketRef);
    headers['In-Reply-To'] = thread;
    headers.References = thread;
  }
  if (ctx.unsubscribeUrl) {
    headers['List-Unsubscribe'] = `<${fmt.url(ctx.unsubscribeUrl)}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  return {
    subject,
    text: renderText({ ...doc, subject }, fmt),
    html: renderHtml({ ...doc, subject }, fmt),
    headers,
  };
}

/** Same as renderNotification, for a `{ kind, data }` value taken whole from a job payload. */
export function render(notification: Notification, ctx: MailContext): RenderedMail {
  return renderNotification(notification.kind, notification.data as never, ctx);
}
