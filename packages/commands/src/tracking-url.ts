/** The reporter's own pages under the tracking link: the resolution question and the opt-out. */
export type TrackingPage = 'resuelto' | 'baja';

/**
 * The address of a reporter's tracking page, `/seguimiento/<token>` (the token is
 * `linkToken(secret, 'tracking', ticketId)`): the one place it is written, for the intake's
 * answer, the public pages and the e-mails. Relative unless `base` (the public base URL) is given.
 */
export function trackingUrl(token: string, options: { base?: string; page?: TrackingPage } = {}): string {
  const base = (options.base ?? '').replace(/\/$/, '');
  return `${base}/seguimiento/${encodeURIComponent(token)}${options.page ? `/${options.page}` : ''}`;
}
