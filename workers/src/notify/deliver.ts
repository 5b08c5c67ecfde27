import type { Config } from '@quipu/config';
import { type Models, type NotificationEntry, notificationLogRepository } from '@quipu/db';
import {
  createMailer,
  isTransientMailError,
  type Mailer,
  type Notification,
  renderNotification,
} from '@quipu/mail';
import { UnrecoverableError } from 'bullmq';

const mailers = new Map<string, Mailer>();

/** One mailer per SMTP URL and process (nodemailer keeps its own connections). */
export function mailerFor(config: Config): Mailer {
  const url = config.smtp.url;
  if (!url) throw new UnrecoverableError('smtp.url is not configured');
  let mailer = mailers.get(url);
  if (!mailer) {
    mailer = createMailer({ smtpUrl: url, from: config.smtp.from });
    mailers.set(url, mailer);
  }
  return mailer;
}

export async function closeMailers(): Promise<void> {
  for (const mailer of mailers.values()) await mailer.close();
  mailers.clear();
}

export interface Delivery {
  /** `<event id>:<recipient key>`: the notification's id and the e-mail's idempotency key. */
  id: string;
  to: string;
  recipientKind: string;
  language: 'es' | 'en';
  notification: Notification;
  unsubscribeUrl?: string | undefined;
  ticketId?: string | undefined;
}

/** What the notification log records of a delivery (rendered again from it by a re-send). */
export function notificationEntry(delivery: Delivery): NotificationEntry {
  return {
    id: delivery.id,
    kind: delivery.notification.kind,
    to: delivery.to,
    recipientKind: delivery.recipientKind,
    language: delivery.language,
    data: delivery.notification.data,
    ticketId: delivery.ticketId,
    unsubscribeUrl: delivery.unsubscribeUrl,
  };
}

/**
 * Sends one notification at most once: the record is created first (its id is the
 * idempotency key); a record already `sent` is skipped, so a retried job sends only what is
 * missing. SMTP 4xx/refused/timeouts throw (BullMQ retries with backoff); 5xx is final.
 */
export async function deliver(
  models: Models,
  config: Config,
  delivery: Delivery,
  attempt: { final: boolean },
): Promise<'sent' | 'skipped'> {
  const log = notificationLogRepository(models);
  const state = await log.recordPending(notificationEntry(delivery));
  if (state === 'sent' || state === 'suppressed') return 'skipped';
  const rendered = renderNotification(delivery.notification.kind, delivery.notification.data as never, {
    portalName: config.portal.name,
    publicBaseUrl: config.http.publicBaseUrl,
    lang: delivery.language,
    timeZone: config.portal.timeZone,
    ...(delivery.unsubscribeUrl ? { unsubscribeUrl: delivery.unsubscribeUrl } : {}),
  });
  try {
    const result = await mailerFor(config).send({
      to: delivery.to,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      headers: rendered.headers,
      idempotencyKey: delivery.id,
    });
    await log.markSent(delivery.id, result.messageId, new Date());
    return 'sent';
  } catch (error) {
    const transient = isTransientMailError(error);
    const failed = !transient || attempt.final;
    await log.markAttemptFailed(delivery.id, (error as Error).message, failed);
    if (!transient)
      throw new UnrecoverableError(`permanent SMTP failure for ${delivery.id}: ${(error as Error).message}`);
    throw error;
  }
}
