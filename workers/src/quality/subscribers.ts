import { qualitySubscriptionToken } from '@quipu/commands';
import { type QualityFamily, qualitySubscriptionRepository, registerModels } from '@quipu/db';
import { queueDelivery } from '../notify/queue-delivery.ts';
import type { Runtime } from '../runtime.ts';

export interface QualityMail {
  family: QualityFamily;
  state: 'failing' | 'recovered';
  resource: { _id: string; name?: string | null; url?: string | null } | null;
  reportId: string;
  errorCount?: number | undefined;
}

const CHECK_NAMES: Record<QualityFamily, string> = {
  availability: 'disponibilidad',
  validity: 'validez (Table Schema)',
  metadata: 'metadatos',
  freshness: 'actualización',
};

/** Public links of the quality pages (the web service serves them; tokens are re-derived, never stored). */
export function qualityLinks(runtime: Runtime) {
  const base = runtime.config.http.publicBaseUrl.replace(/\/$/, '');
  const secret = runtime.config.session.secret;
  return {
    report: (reportId: string) => `${base}/api/v1/reports/${reportId}`,
    dataset: (slug: string) => `${base}/datasets/${slug}`,
    verify: (subscriptionId: string) =>
      `${base}/suscripciones-calidad/${qualitySubscriptionToken(secret, subscriptionId)}/confirmar`,
    unsubscribe: (subscriptionId: string) =>
      `${base}/suscripciones-calidad/${qualitySubscriptionToken(secret, subscriptionId)}/baja`,
  };
}

/**
 * Tells a dataset's verified subscribers that a check started failing or recovered — only on a
 * ticket's transitions (opened, regressed, auto-resolved), so a flapping link mails nobody before
 * it would open a ticket. One e-mail per (report, family, state, subscriber): `deliver` is
 * idempotent by that id, so a retried job sends nothing twice.
 */
export async function notifySubscribers(
  runtime: Runtime,
  dataset: { _id: unknown; title: string; slug: string; landingPage?: string | null },
  mails: QualityMail[],
  now: Date,
): Promise<number> {
  if (mails.length === 0) return 0;
  const models = registerModels(runtime.connection);
  const subscribers = await qualitySubscriptionRepository(models).verifiedOf(String(dataset._id));
  if (subscribers.length === 0) return 0;
  const links = qualityLinks(runtime);
  let queued = 0;
  for (const mail of mails) {
    for (const subscriber of subscribers) {
      const subscriptionId = String(subscriber._id);
      const outcome = await queueDelivery(runtime, {
        id: `quality-${mail.reportId}-${mail.family}-${mail.state}:${subscriptionId}`,
        to: subscriber.email,
        recipientKind: 'subscriber',
        language: subscriber.language === 'en' ? 'en' : 'es',
        notification: {
          kind: 'quality_event',
          data: {
            dataset: { title: dataset.title, url: dataset.landingPage ?? links.dataset(dataset.slug) },
            resource: {
              name: mail.resource?.name ?? mail.resource?._id ?? dataset.title,
              ...(mail.resource?.url ? { url: mail.resource.url } : {}),
            },
            check: CHECK_NAMES[mail.family],
            state: mail.state,
            reportUrl: links.report(mail.reportId),
            ...(mail.errorCount !== undefined ? { errorCount: mail.errorCount } : {}),
            checkedAt: now,
          },
        },
        unsubscribeUrl: links.unsubscribe(subscriptionId),
      });
      if (outcome === 'queued') queued += 1;
    }
  }
  return queued;
}

/** The verification e-mail of a new dataset subscription (job `subscription-verification`). */
export async function sendVerification(runtime: Runtime, subscriptionId: string): Promise<string> {
  const models = registerModels(runtime.connection);
  const subscription = await qualitySubscriptionRepository(models).findById(subscriptionId);
  if (!subscription || subscription.verifiedAt || subscription.unsubscribedAt) return 'skipped';
  return await queueDelivery(runtime, {
    id: `qsubverify-${subscriptionId}:subscriber`,
    to: subscription.email,
    recipientKind: 'subscriber',
    language: subscription.language === 'en' ? 'en' : 'es',
    notification: {
      kind: 'email_verification',
      data: { verificationUrl: qualityLinks(runtime).verify(subscriptionId) },
    },
  });
}
