import type { Formatter } from '../format.ts';
import type { Block, MailDocument } from '../layout.ts';
import type {
  AssignmentData,
  DailyDigestData,
  DigestTicket,
  EscalationData,
  ReporterRepliedData,
  SlaBreachData,
  SlaWarningData,
} from '../notification-types.ts';
import { facts, greeting, ticketFacts } from './shared.ts';

export function assignment(data: AssignmentData, fmt: Formatter): MailDocument {
  const { t } = fmt;
  const params = { ref: data.ticket.ref, title: data.ticket.title };
  const blocks: Block[] = [
    { type: 'paragraph', text: t('assignment.intro', { portalName: fmt.ctx.portalName }) },
    facts([
      ...ticketFacts(fmt, data.ticket),
      data.kind !== undefined && [t('label.kind'), fmt.ticketKind(data.kind)],
      data.category !== undefined && [t('label.category'), fmt.category(data.kind, data.category)],
      data.priority !== undefined && [t('label.priority'), fmt.priority(data.priority)],
      data.organisationName !== undefined && [t('label.organisation'), data.organisationName],
      data.datasetTitle !== undefined && [t('label.dataset'), data.datasetTitle],
      data.assignedBy !== undefined && [
        t('label.assignedBy'),
        fmt.displayName(data.assignedBy, 'fallback.user'),
      ],
    ]),
  ];
  if (data.due.length > 0) {
    blocks.push(
      { type: 'heading', text: t('assignment.deadlines') },
      facts(data.due.map((due) => [fmt.code('slaTarget', due.target), fmt.date(due.dueAt)])),
    );
  }
  blocks.push({ type: 'button', label: t('assignment.button'), url: fmt.url(data.ticket.url) });
  return {
    subject: t('assignment.subject', params),
    preheader: t('assignment.preheader', params),
    greeting: greeting(fmt, data.assigneeName),
    blocks,
    why: t('assignment.why', { portalName: fmt.ctx.portalName }),
    ticketRef: data.ticket.ref,
  };
}

export function reporterReplied(data: ReporterRepliedData, fmt: Formatter): MailDocument {
  const { t } = fmt;
  const author = fmt.displayName(data.reporterName, 'fallback.reporter');
  const params = { ref: data.ticket.ref, title: data.ticket.title, author };
  return {
    subject: t('reporterReplied.subject', params),
    preheader: t('reporterReplied.preheader', params),
    greeting: greeting(fmt, data.assigneeName),
    blocks: [
      { type: 'paragraph', text: t('reporterReplied.intro', params) },
      { type: 'quote', text: fmt.excerpt(data.excerpt) },
      facts(ticketFacts(fmt, data.ticket)),
      { type: 'button', label: t('reporterReplied.button'), url: fmt.url(data.ticket.url) },
    ],
    why: t('reporterReplied.why', { portalName: fmt.ctx.portalName }),
    ticketRef: data.ticket.ref,
  };
}

export function slaWarning(data: SlaWarningData, fmt: Formatter): MailDocument {
  const { t } = fmt;
  const target = fmt.code('slaTarget', data.target).toLocaleLowerCase(fmt.lang);
  const remaining = fmt.duration(data.remainingMinutes);
  const params = { ref: data.ticket.ref, title: data.ticket.title, target, remaining };
  return {
    subject: t('slaWarning.subject', params),
    preheader: t('slaWarning.preheader', params),
    greeting: greeting(fmt, data.assigneeName),
    blocks: [
      { type: 'paragraph', text: t('slaWarning.intro', params) },
      facts([
        ...ticketFacts(fmt, data.ticket),
        [t('label.target'), fmt.code('slaTarget', data.target)],
        [t('label.dueAt'), fmt.date(data.dueAt)],
        [t('label.remaining'), remaining],
      ]),
      { type: 'button', label: t('slaWarning.button'), url: fmt.url(data.ticket.url) },
    ],
    why: t('slaWarning.why', { portalName: fmt.ctx.portalName }),
    ticketRef: data.ticket.ref,
  };
}

function breachFacts(data: SlaBreachData, fmt: Formatter, role: string): Block {
  const { t } = fmt;
  return facts([
    ...ticketFacts(fmt, data.ticket),
    data.organisationName !== undefined && [t('label.organisation'), data.organisationName],
    [t('label.target'), fmt.code('slaTarget', data.target)],
    [t('label.dueAt'), fmt.date(data.dueAt)],
    [t('label.breachedAt'), fmt.date(data.breachedAt)],
    [t('label.assignee'), data.assigneeName?.trim() ? data.assigneeName.trim() : t('fallback.unassigned')],
    [t('label.escalationStep'), `${fmt.number(data.step)} · ${role}`],
  ]);
}

export function slaBreach(data: SlaBreachData, fmt: Formatter): MailDocument {
  const { t } = fmt;
  const role = fmt.code('escalationRole', data.role);
  const target = fmt.code('slaTarget', data.target).toLocaleLowerCase(fmt.lang);
  const params = { ref: data.ticket.ref, title: data.ticket.title, target, role };
  return {
    subject: t('slaBreach.subject', params),
    preheader: t('slaBreach.preheader', params),
    greeting: greeting(fmt, data.recipientName),
    blocks: [
      { type: 'paragraph', text: t('slaBreach.intro', params) },
      breachFacts(data, fmt, role),
      { type: 'button', label: t('slaBreach.button'), url: fmt.url(data.ticket.url) },
    ],
    why: t('slaBreach.why', { portalName: fmt.ctx.portalName, role }),
    ticketRef: data.ticket.ref,
  };
}

export function escalation(data: EscalationData, fmt: Formatter): MailDocument {
  const { t } = fmt;
  const role = fmt.code('escalationRole', data.role);
  const params = { ref: data.ticket.ref, title: data.ticket.title, role, step: fmt.number(data.step) };
  return {
    subject: t('escalation.subject', params),
    preheader: t('escalation.preheader', params),
    greeting: greeting(fmt, data.recipientName),
    blocks: [
      { type: 'paragraph', text: t('escalation.intro', params) },
      breachFacts(data, fmt, role),
      { type: 'button', label: t('escalation.button'), url: fmt.url(data.ticket.url) },
    ],
    why: t('escalation.why', { portalName: fmt.ctx.portalName, role }),
    ticketRef: data.ticket.ref,
  };
}

function digestList(fmt: Formatter, items: DigestTicket[], total: number): Block {
  const rest = total - items.length;
  return {
    type: 'list',
    items: items.map((item) => {
      const detail = [
        item.dueAt !== undefined ? `${fmt.t('label.dueAt')}: ${fmt.date(item.dueAt)}` : '',
        item.assigneeName?.trim() ? `${fmt.t('label.assignee')}: ${item.assigneeName.trim()}` : '',
      ]
        .filter(Boolean)
        .join(' · ');
      return { text: `${item.ref} · ${item.title}`, url: fmt.url(item.url), ...(detail ? { detail } : {}) };
    }),
    empty: fmt.t('dailyDigest.none'),
    ...(rest > 0 ? { more: fmt.t('layout.more', { n: fmt.number(rest) }) } : {}),
  };
}

export function dailyDigest(data: DailyDigestData, fmt: Formatter): MailDocument {
  const { t } = fmt;
  const date = fmt.day(data.date);
  const { counts, lists } = data;
  const sections = [
    ['dailyDigest.new', lists.new, counts.new],
    ['dailyDigest.dueSoon', lists.dueSoon, counts.dueSoon],
    ['dailyDigest.breached', lists.breached, counts.breached],
    ['dailyDigest.unassigned', lists.unassigned, counts.unassigned],
  ] as const;
  const blocks: Block[] = [
    { type: 'paragraph', text: t('dailyDigest.intro', { date }) },
    facts(sections.map(([key, , count]) => [t(key), fmt.number(count)])),
  ];
  for (const [key, items, count] of sections) {
    blocks.push({ type: 'heading', text: `${t(key)} (${fmt.number(count)})` }, digestList(fmt, items, count));
  }
  blocks.push({ type: 'button', label: t('dailyDigest.button'), url: fmt.url(data.dashboardUrl) });
  return {
    subject: data.organisationName
      ? t('dailyDigest.subjectOrg', { date, organisation: data.organisationName })
      : t('dailyDigest.subject', { date }),
    preheader: t('dailyDigest.preheader', {
      new: fmt.number(counts.new),
      dueSoon: fmt.number(counts.dueSoon),
      breached: fmt.number(counts.breached),
      unassigned: fmt.number(counts.unassigned),
    }),
    greeting: greeting(fmt, data.recipientName),
    blocks,
    why: t('dailyDigest.why', { portalName: fmt.ctx.portalName }),
  };
}
