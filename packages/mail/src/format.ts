import { categoryLabel, TICKET_KINDS, type TicketKind, ticketLabel } from '@quipu/core/tickets';
import { en } from './messages/en.ts';
import { es, type MessageKey } from './messages/es.ts';

export type Lang = 'es' | 'en';
export const LANGS: readonly Lang[] = ['es', 'en'];
export const DEFAULT_LANG: Lang = 'es';
export const DEFAULT_TIME_ZONE = 'America/Lima';

export const catalogs: Record<Lang, Record<MessageKey, string>> = { es, en };

const LOCALES: Record<Lang, string> = { es: 'es-PE', en: 'en-GB' };

/** Who the mail comes from and how to read it; the same for every notification. */
export interface MailContext {
  portalName: string;
  /** Absolute base URL of the public site; relative links in the data resolve against it. */
  publicBaseUrl: string;
  lang?: Lang;
  /** IANA zone for every date shown; defaults to America/Lima. */
  timeZone?: string;
  /** Per-recipient one-click unsubscribe URL; adds the footer link and the List-Unsubscribe headers. */
  unsubscribeUrl?: string;
}

export type DateInput = Date | string | number;
export type Params = Record<string, string | number>;

function interpolate(template: string, params: Params | undefined): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(es, key);
}

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  return interpolate(catalogs[lang][key], params);
}

// Display names are typed by people, and some type their e-mail address as their name.
// Staff and follower mails must never carry a reporter's address, so such a name is replaced.
const EMAIL_LIKE = /[^\s@<>]+@[^\s@<>]+/;

export function looksLikeEmail(value: string): boolean {
  return EMAIL_LIKE.test(value);
}

export interface Formatter {
  lang: Lang;
  timeZone: string;
  ctx: MailContext;
  t(key: MessageKey, params?: Params): string;
  /** Label for an SLA code, the raw code when the catalog has none. */
  code(prefix: 'slaTarget' | 'escalationRole', value: string): string;
  /** Ticket vocabulary labels come from @quipu/core, shared with the web pages. */
  status(value: string): string;
  priority(value: string): string;
  ticketKind(value: string): string;
  category(kind: string | undefined, value: string): string;
  date(value: DateInput): string;
  day(value: DateInput): string;
  duration(minutes: number): string;
  number(value: number): string;
  url(link: string): string;
  displayName(value: string | undefined, fallback: 'fallback.user' | 'fallback.reporter'): string;
  excerpt(value: string, max?: number): string;
}

function toDate(value: DateInput): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Invalid date: ${String(value)}`);
  return date;
}

export function createFormatter(ctx: MailContext): Formatter {
  const lang = ctx.lang ?? DEFAULT_LANG;
  const timeZone = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const locale = LOCALES[lang];
  // The zone name goes in the text because officers and reporters are not always in Lima.
  const dateTime = new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  const dayOnly = new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  });
  // A bare `2026-11-27` is a calendar day, not UTC midnight (which is the evening before in Lima).
  const calendarDay = new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  });
  const numbers = new Intl.NumberFormat(locale);
  const plurals = new Intl.PluralRules(locale);
  const base = new URL(ctx.publicBaseUrl);
  const t = (key: MessageKey, params?: Params): string => translate(lang, key, params);

  const unit = (kind: 'days' | 'hours' | 'minutes', n: number): string => {
    const form = plurals.select(n) === 'one' ? 'one' : 'other';
    return t(`duration.${kind}.${form}`, { n: numbers.format(n) });
  };

  return {
    lang,
    timeZone,
    ctx,
    t,
    code(prefix, value) {
      const key = `${prefix}.${value}`;
      return isMessageKey(key) ? t(key) : value;
    },
    status: (value) => ticketLabel(lang, 'status', value),
    priority: (value) => ticketLabel(lang, 'priority', value),
    ticketKind: (value) => ticketLabel(lang, 'kind', value),
    category: (kind, value) =>
      kind !== undefined && (TICKET_KINDS as readonly string[]).includes(kind)
        ? categoryLabel(lang, kind as TicketKind, value)
        : value,
    date: (value) => dateTime.format(toDate(value)),
    day: (value) =>
      typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? calendarDay.format(toDate(`${value}T00:00:00Z`))
        : dayOnly.format(toDate(value)),
    duration(minutes) {
      if (minutes <= 0) return t('duration.overdue');
      if (minutes < 1) return t('duration.lessThanMinute');
      const total = Math.floor(minutes);
      const days = Math.floor(total / 1440);
      const hours = Math.floor((total % 1440) / 60);
      const mins = total % 60;
      const parts: string[] = [];
      if (days) parts.push(unit('days', days));
      if (hours) parts.push(unit('hours', hours));
      // Minutes are noise once a deadline is days away.
      if (mins && !days) parts.push(unit('minutes', mins));
      return parts.join(' ');
    },
    number: (value) => numbers.format(value),
    url(link) {
      const url = new URL(link, base);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new RangeError(`Refusing a non-http link in an e-mail: ${url.protocol}`);
      }
      return url.href;
    },
    displayName(value, fallback) {
      const name = value?.trim();
      return name && !looksLikeEmail(name) ? name : t(fallback);
    },
    excerpt(value, max = 600) {
      const text = value.replace(/\r\n?/g, '\n').trim();
      return text.length > max ? `${text.slice(0, max).trimEnd()}…` : text;
    },
  };
}
