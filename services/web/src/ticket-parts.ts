import { categoryLabel, type TicketKind, ticketLabel } from '@quipu/core/tickets';
import { eventWords } from './event-words.ts';
import { formatDate, isoOf } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import type { MessageKey } from './i18n/index.ts';
import type { WebState } from './web-context.ts';

/** The shapes the API presenters return (only the parts the pages read). */
export interface TimelineEntry {
  id?: unknown;
  type: string;
  action?: unknown;
  actor: { role: string | null; name: string | null };
  from?: unknown;
  to?: unknown;
  reason?: unknown;
  /** Staff views only: the event's data (e.g. a routing decision to put into words). */
  fields?: unknown;
  at: Date | string;
  public?: boolean;
}
export interface CommentView {
  id?: unknown;
  author: { kind: string; name?: string | null };
  body: string | null;
  hidden: boolean;
  at: Date | string;
  visibility?: string;
}
export interface SlaView {
  breached: boolean;
  targets: Array<{
    target: string;
    dueAt: Date | string | null;
    state: string | null;
    metAt: Date | string | null;
    breachedAt: Date | string | null;
  }>;
}

export function statusBadge(web: WebState, status: string): SafeHtml {
  const closed = ['closed', 'resolved', 'published', 'rejected', 'duplicate'].includes(status);
  return html`<span class="badge${closed ? ' ok' : ''}">${ticketLabel(web.locale, 'status', status)}</span>`;
}

export function kindLabel(web: WebState, kind: string): string {
  return ticketLabel(web.locale, 'kind', kind);
}

export function categoryOf(web: WebState, kind: string, category: string | null | undefined): string {
  return categoryLabel(web.locale, kind as TicketKind, category);
}

export function time(
  web: WebState,
  at: Date | string | null | undefined,
  style: 'date' | 'datetime' = 'datetime',
) {
  if (!at) return html``;
  return html`<time datetime="${isoOf(at)}">${formatDate(at, web.locale, web.timeZone, style)}</time>`;
}

function targetLabel(web: WebState, target: string): string {
  const key = `ticket.sla.${target}` as MessageKey;
  const text = web.t(key);
  return text === key ? target : text;
}

/** The resolution deadline, the one the public is promised. */
export function dueOf(sla: SlaView | null): SlaView['targets'][number] | null {
  if (!sla) return null;
  return sla.targets.find((t) => t.target === 'resolution') ?? sla.targets.at(-1) ?? null;
}

/**
 * The SLA targets with their state; `explanations` (target → sentence from explainTicketSla)
 * says under each one how the due date was computed.
 */
export function slaList(
  web: WebState,
  sla: SlaView | null,
  explanations: ReadonlyMap<string, string> = new Map(),
): SafeHtml {
  if (!sla?.targets.length) return html``;
  const { t } = web;
  return html`<ul>${sla.targets.map(
    (target) =>
      html`<li><strong>${targetLabel(web, target.target)}</strong>: ${
        target.metAt
          ? t('desk.ticket.slaMet', { at: formatDate(target.metAt, web.locale, web.timeZone) })
          : target.breachedAt
            ? html`<span class="badge danger">${t('desk.ticket.slaBreachedAt', {
                at: formatDate(target.breachedAt, web.locale, web.timeZone),
              })}</span>`
            : target.dueAt
              ? t('desk.ticket.slaDue', { due: formatDate(target.dueAt, web.locale, web.timeZone) })
              : ''
      }${explanations.get(target.target) ? html`<br><small class="explain">${explanations.get(target.target)}</small>` : ''}</li>`,
  )}</ul>`;
}

/** Target → explanation sentence in the page's language (for slaList). */
export async function slaExplanations(
  explain: () => Promise<{ targets: Array<{ target: string; text: string | null }> } | null>,
): Promise<Map<string, string>> {
  const result = await explain().catch(() => null);
  return new Map(
    (result?.targets ?? []).flatMap((t) => (t.text ? [[t.target, t.text] as [string, string]] : [])),
  );
}

function eventTitle(web: WebState, entry: TimelineEntry): SafeHtml {
  const { t, locale } = web;
  if (entry.type === 'status_changed' && typeof entry.action === 'string') {
    return html`${ticketLabel(locale, 'action', entry.action)}${
      typeof entry.to === 'string' ? html` → ${ticketLabel(locale, 'status', entry.to)}` : ''
    }`;
  }
  const own = `timeline.${entry.type}` as MessageKey;
  const text = t(own);
  if (text !== own) return html`${text}`;
  if (entry.type.startsWith('sla')) return html`${t('timeline.sla')}`;
  return html`${ticketLabel(locale, 'event', entry.type)}`;
}

/** The why of an event: in words of the reader's language where its data allows, else as stored. */
function reasonOf(web: WebState, entry: TimelineEntry): SafeHtml | string {
  const words = eventWords(web.t, entry, (at) => formatDate(at, web.locale, web.timeZone));
  if (words) return html`<div class="pre">${words}</div>`;
  return typeof entry.reason === 'string' && entry.reason ? html`<div class="pre">${entry.reason}</div>` : '';
}

/** The officer's answer when resolving (the presenters' `resolution`), where the outcome is shown. */
export function resolutionPart(
  web: WebState,
  resolution: { text: string; at: Date | string | null } | null | undefined,
  level: 'h2' | 'h3' = 'h2',
): SafeHtml | '' {
  if (!resolution) return '';
  const heading = web.t('ticket.resolution');
  return html`<section class="resolution" aria-label="${heading}">
${level === 'h2' ? html`<h2>${heading}</h2>` : html`<h3>${heading}</h3>`}
<p class="pre">${resolution.text}</p>
${resolution.at ? html`<p><small>${time(web, resolution.at)}</small></p>` : ''}
</section>`;
}

export function timeline(
  web: WebState,
  entries: TimelineEntry[],
  options: { staff?: boolean } = {},
): SafeHtml {
  return html`<ol class="timeline">${entries.map(
    (entry) => html`<li>
<strong>${eventTitle(web, entry)}</strong>
${entry.actor.role ? html` · ${ticketLabel(web.locale, 'role', entry.actor.role)}${options.staff && entry.actor.name ? html` (${entry.actor.name})` : ''}` : ''}
<br>${time(web, entry.at)}
${reasonOf(web, entry)}
</li>`,
  )}</ol>`;
}

export function comments(web: WebState, list: CommentView[], options: { staff?: boolean } = {}): SafeHtml {
  const { t } = web;
  if (!list.length) return html`<p>${t('ticket.noComments')}</p>`;
  return html`${list.map((c) => {
    const internal = c.visibility === 'internal';
    const who =
      c.author.kind === 'reporter'
        ? t('ticket.reporter')
        : c.author.kind === 'user'
          ? options.staff
            ? (c.author.name ?? t('ticket.staff'))
            : t('ticket.staff')
          : 'Quipu';
    return html`<article class="comment${internal ? ' internal' : ''}">
<strong>${who}</strong>${internal ? html` · <span class="badge">${t('desk.ticket.internal')}</span>` : ''} · ${time(web, c.at)}
${c.hidden && !options.staff ? html`<p><em>${t('ticket.hiddenComment')}</em></p>` : html`<p>${c.body ?? ''}</p>`}
</article>`;
  })}`;
}
