import type { Formatter } from '../format.ts';
import type { Block, MailDocument } from '../layout.ts';
import type { FollowerChange, FollowersDigestData, QualityEventData } from '../notification-types.ts';
import { facts, greeting } from './shared.ts';

function describeChange(change: FollowerChange, fmt: Formatter): string {
  const at = fmt.date(change.at);
  if (change.type === 'status') {
    return fmt.t('followersDigest.status', {
      at,
      from: fmt.status(change.from),
      to: fmt.status(change.to),
    });
  }
  return fmt.t('followersDigest.reply', {
    at,
    author: fmt.displayName(change.authorName, 'fallback.user'),
    excerpt: fmt.excerpt(change.excerpt, 280),
  });
}

export function followersDigest(data: FollowersDigestData, fmt: Formatter): MailDocument {
  const { t } = fmt;
  const blocks: Block[] = [{ type: 'paragraph', text: t('followersDigest.intro') }];
  for (const update of data.updates) {
    blocks.push(
      { type: 'heading', text: `${update.ticket.ref} · ${update.ticket.title}` },
      { type: 'list', items: update.changes.map((change) => ({ text: describeChange(change, fmt) })) },
      { type: 'button', label: t('followersDigest.open'), url: fmt.url(update.ticket.url) },
    );
  }
  const [only] = data.updates;
  return {
    subject:
      data.updates.length === 1 && only
        ? t('followersDigest.subjectOne', { ref: only.ticket.ref })
        : t('followersDigest.subject', { count: fmt.number(data.updates.length) }),
    preheader: t('followersDigest.preheader'),
    greeting: greeting(fmt, data.recipientName),
    blocks,
    why: t('followersDigest.why', { portalName: fmt.ctx.portalName }),
  };
}

export function qualityEvent(data: QualityEventData, fmt: Formatter): MailDocument {
  const { t } = fmt;
  const failing = data.state === 'failing';
  const params = { dataset: data.dataset.title, resource: data.resource.name, check: data.check };
  return {
    subject: failing ? t('qualityEvent.subjectFailing', params) : t('qualityEvent.subjectRecovered', params),
    preheader: failing
      ? t('qualityEvent.preheaderFailing', params)
      : t('qualityEvent.preheaderRecovered', params),
    greeting: greeting(fmt, data.recipientName),
    blocks: [
      {
        type: 'paragraph',
        text: failing ? t('qualityEvent.introFailing') : t('qualityEvent.introRecovered'),
      },
      facts([
        [t('label.dataset'), data.dataset.title],
        [t('label.resource'), data.resource.name],
        [t('label.check'), data.check],
        [t('label.result'), failing ? t('qualityEvent.failing') : t('qualityEvent.recovered')],
        data.errorCount !== undefined && [t('label.errors'), fmt.number(data.errorCount)],
        data.checkedAt !== undefined && [t('label.checkedAt'), fmt.date(data.checkedAt)],
      ]),
      {
        type: 'list',
        items: [
          { text: data.dataset.title, url: fmt.url(data.dataset.url) },
          ...(data.resource.url ? [{ text: data.resource.name, url: fmt.url(data.resource.url) }] : []),
        ],
      },
      { type: 'button', label: t('qualityEvent.button'), url: fmt.url(data.reportUrl) },
    ],
    why: t('qualityEvent.why', { portalName: fmt.ctx.portalName }),
  };
}
