import type { Formatter } from '../format.ts';
import type { MailDocument } from '../layout.ts';
import type {
  DeadlineExtensionData,
  EmailVerificationData,
  PublicReplyData,
  ReporterAcknowledgementData,
  ResolutionQuestionData,
  StatusChangedData,
} from '../notification-types.ts';
import { facts, greeting, ticketFacts } from './shared.ts';

function resolutionBlocks(fmt: Formatter, resolution: string | undefined): MailDocument['blocks'] {
  if (resolution === undefined || resolution.trim() === '') return [];
  return [
    { type: 'paragraph', text: fmt.t('label.resolution') },
    { type: 'quote', text: resolution.trim() },
  ];
}

export function reporterAcknowledgement(data: ReporterAcknowledgementData, fmt: Formatter): MailDocument {
  const { t } = fmt;
  const params = { ref: data.ref, title: data.title };
  return {
    subject: t('reporterAck.subject', params),
    preheader: t('reporterAck.preheader', params),
    greeting: greeting(fmt, data.reporterName),
    blocks: [
      { type: 'paragraph', text: t('reporterAck.intro') },
      facts(ticketFacts(fmt, data)),
      ...(data.verificationUrl
        ? [
            { type: 'paragraph', text: t('reporterAck.verifyPrompt') } as const,
            {
              type: 'button',
              label: t('reporterAck.verifyButton'),
              url: fmt.url(data.verificationUrl),
              showUrl: true,
            } as const,
          ]
        : []),
      ...(data.dueAt !== undefined
        ? [{ type: 'paragraph', text: t('reporterAck.due', { date: fmt.date(data.dueAt) }) } as const]
        : []),
      { type: 'button', label: t('reporterAck.trackButton'), url: fmt.url(data.trackingUrl) },
      { type: 'paragraph', text: t('reporterAck.privacy'), small: true },
    ],
    why: t('reporterAck.why', { portalName: fmt.ctx.portalName }),
    ticketRef: data.ref,
  };
}

export function emailVerification(data: EmailVerificationData, fmt: Formatter): MailDocument {
  const { t } = fmt;
  const portalName = fmt.ctx.portalName;
  return {
    subject: t('emailVerification.subject'),
    preheader: t('emailVerification.preheader', { portalName }),
    greeting: greeting(fmt, data.reporterName),
    blocks: [
      {
        type: 'paragraph',
        text: data.ticket
          ? t('emailVerification.introTicket', { ref: data.ticket.ref, title: data.ticket.title })
          : t('emailVerification.intro', { portalName }),
      },
      {
        type: 'button',
        label: t('emailVerification.button'),
        url: fmt.url(data.verificationUrl),
        showUrl: true,
      },
      ...(data.expiresAt !== undefined
        ? [
            {
              type: 'paragraph',
              text: t('emailVerification.expires', { date: fmt.date(data.expiresAt) }),
            } as const,
          ]
        : []),
      { type: 'paragraph', text: t('emailVerification.ignore'), small: true },
    ],
    why: t('emailVerification.why', { portalName }),
    ...(data.ticket ? { ticketRef: data.ticket.ref } : {}),
  };
}

export function statusChanged(data: StatusChangedData, fmt: Formatter): MailDocument {
  const { t } = fmt;
  const from = fmt.status(data.from);
  const to = fmt.status(data.to);
  const params = { ref: data.ticket.ref, title: data.ticket.title, from, to };
  const portalName = fmt.ctx.portalName;
  return {
    subject: t('statusChanged.subject', params),
    preheader: t('statusChanged.preheader', params),
    greeting: greeting(fmt, data.recipientName),
    blocks: [
      { type: 'paragraph', text: t('statusChanged.intro', params) },
      facts([
        ...ticketFacts(fmt, data.ticket),
        [t('label.statusFrom'), from],
        [t('label.statusTo'), to],
        data.reason !== undefined && data.reason.trim() !== '' && [t('label.reason'), data.reason.trim()],
      ]),
      ...resolutionBlocks(fmt, data.resolution),
      { type: 'button', label: t('statusChanged.button'), url: fmt.url(data.ticket.url) },
    ],
    why:
      data.audience === 'reporter'
        ? t('statusChanged.whyReporter', { portalName })
        : t('statusChanged.whyFollower', { portalName }),
    ticketRef: data.ticket.ref,
  };
}

export function publicReply(data: PublicReplyData, fmt: Formatter): MailDocument {
  const { t } = fmt;
  const author = fmt.displayName(data.authorName, 'fallback.user');
  const params = { ref: data.ticket.ref, title: data.ticket.title, author };
  const portalName = fmt.ctx.portalName;
  return {
    subject: t('publicReply.subject', params),
    preheader: t('publicReply.preheader', params),
    greeting: greeting(fmt, data.recipientName),
    blocks: [
      { type: 'paragraph', text: t('publicReply.intro', params) },
      { type: 'quote', text: fmt.excerpt(data.excerpt) },
      { type: 'button', label: t('publicReply.button'), url: fmt.url(data.ticket.url) },
    ],
    why:
      data.audience === 'reporter'
        ? t('publicReply.whyReporter', { portalName })
        : t('publicReply.whyFollower', { portalName }),
    ticketRef: data.ticket.ref,
  };
}

export function resolutionQuestion(data: ResolutionQuestionData, fmt: Formatter): MailDocument {
  const { t } = fmt;
  const params = { ref: data.ticket.ref, title: data.ticket.title };
  return {
    subject: t('resolutionQuestion.subject', params),
    preheader: t('resolutionQuestion.preheader', params),
    greeting: greeting(fmt, data.reporterName),
    blocks: [
      { type: 'paragraph', text: t('resolutionQuestion.intro', params) },
      ...resolutionBlocks(fmt, data.resolution),
      {
        type: 'choices',
        items: [
          { label: t('resolutionQuestion.yes'), url: fmt.url(data.yesUrl) },
          { label: t('resolutionQuestion.no'), url: fmt.url(data.noUrl) },
        ],
      },
      ...(data.closesAt !== undefined
        ? [
            {
              type: 'paragraph',
              text: t('resolutionQuestion.closesAt', { date: fmt.date(data.closesAt) }),
              small: true,
            } as const,
          ]
        : []),
      facts(ticketFacts(fmt, data.ticket)),
    ],
    why: t('resolutionQuestion.why', { portalName: fmt.ctx.portalName }),
    ticketRef: data.ticket.ref,
  };
}

export function deadlineExtension(data: DeadlineExtensionData, fmt: Formatter): MailDocument {
  const { t } = fmt;
  const date = fmt.date(data.newDueAt);
  const params = { ref: data.ticket.ref, title: data.ticket.title, date };
  return {
    subject: t('deadlineExtension.subject', params),
    preheader: t('deadlineExtension.preheader', params),
    greeting: greeting(fmt, data.reporterName),
    blocks: [
      { type: 'paragraph', text: t('deadlineExtension.intro', params) },
      facts([
        ...ticketFacts(fmt, data.ticket),
        data.previousDueAt !== undefined && [t('label.previousDueAt'), fmt.date(data.previousDueAt)],
        [t('label.newDueAt'), date],
        [t('label.reason'), data.reason.trim()],
      ]),
      { type: 'paragraph', text: t('deadlineExtension.newDate', params) },
      { type: 'button', label: t('deadlineExtension.button'), url: fmt.url(data.ticket.url) },
    ],
    why: t('deadlineExtension.why', { portalName: fmt.ctx.portalName }),
    ticketRef: data.ticket.ref,
  };
}
