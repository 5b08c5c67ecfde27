export { escapeHtml, html, SafeHtml } from './escape.ts';
export {
  catalogs,
  type DateInput,
  DEFAULT_LANG,
  DEFAULT_TIME_ZONE,
  LANGS,
  type Lang,
  type MailContext,
} from './format.ts';
export type { MessageKey } from './messages/es.ts';
export type * from './notification-types.ts';
export {
  isNotificationKind,
  NOTIFICATION_KINDS,
  type RenderedMail,
  render,
  renderNotification,
} from './render.ts';
export {
  createMailer,
  isTransientMailError,
  type Mailer,
  type MailerKind,
  type MailerOptions,
  MailTransportError,
  messageIdFor,
  type OutgoingMail,
  type SendResult,
  toMailTransportError,
} from './transport.ts';
