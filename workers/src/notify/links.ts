import { linkToken, trackingUrl } from '@quipu/commands';
import type { Config } from '@quipu/config';

/** Public links put in e-mails; tokens are re-derived from the secret (never stored or queued). */
export function links(config: Config) {
  const base = config.http.publicBaseUrl.replace(/\/$/, '');
  const secret = config.session.secret;
  return {
    ticket: (ref: string) => `${base}/tickets/${ref}`,
    staffTicket: (ref: string) => `${base}/mesa/tickets/${ref}`,
    tracking: (ticketId: string) => trackingUrl(linkToken(secret, 'tracking', ticketId), { base }),
    verification: (ticketId: string) => `${base}/verificar/${linkToken(secret, 'verification', ticketId)}`,
    satisfaction: (ticketId: string, answer: 'si' | 'no') =>
      `${trackingUrl(linkToken(secret, 'tracking', ticketId), { base, page: 'resuelto' })}?respuesta=${answer}`,
    reporterUnsubscribe: (ticketId: string) =>
      trackingUrl(linkToken(secret, 'tracking', ticketId), { base, page: 'baja' }),
    subscriptionVerify: (subscriptionId: string) =>
      `${base}/suscripciones/${linkToken(secret, 'subscription', subscriptionId)}/confirmar`,
    subscriptionUnsubscribe: (subscriptionId: string) =>
      `${base}/suscripciones/${linkToken(secret, 'subscription', subscriptionId)}/baja`,
    dashboard: () => `${base}/mesa/panel`,
  };
}
