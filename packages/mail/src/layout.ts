import { html, type SafeHtml } from './escape.ts';
import type { Formatter } from './format.ts';

/** One piece of a mail body; every string in it is plain text, escaped when rendered as HTML. */
export type Block =
  | { type: 'paragraph'; text: string; small?: boolean }
  | { type: 'heading'; text: string }
  | { type: 'facts'; rows: ReadonlyArray<readonly [label: string, value: string]> }
  | { type: 'quote'; text: string }
  | { type: 'button'; label: string; url: string; showUrl?: boolean }
  | { type: 'choices'; items: ReadonlyArray<{ label: string; url: string }> }
  | {
      type: 'list';
      items: ReadonlyArray<{ text: string; url?: string; detail?: string }>;
      empty?: string;
      more?: string;
    };

export interface MailDocument {
  subject: string;
  preheader: string;
  greeting?: string;
  blocks: Block[];
  /** Why the recipient got this mail, shown in the footer. */
  why: string;
  /** The ticket the mail is about, so clients can thread every mail of one ticket together. */
  ticketRef?: string;
}

const FONT = 'font-family:Arial,Helvetica,sans-serif;';
const TEXT = `${FONT}font-size:16px;line-height:1.5;color:#1f2933;`;
const SMALL = `${FONT}font-size:14px;line-height:1.5;color:#52606d;`;
const CELL = `${FONT}font-size:14px;line-height:1.5;color:#1f2933;`;
const ACCENT = '#0b5394';

function htmlBlock(block: Block, fmt: Formatter): SafeHtml {
  switch (block.type) {
    case 'paragraph':
      return block.small
        ? html`<p style="${SMALL}margin:0 0 16px;">${block.text}</p>`
        : html`<p style="${TEXT}margin:0 0 16px;">${block.text}</p>`;
    case 'heading':
      return html`<h2 style="${FONT}font-size:18px;line-height:1.3;color:#1f2933;margin:24px 0 8px;">${block.text}</h2>`;
    case 'facts':
      return html`<table cellpadding="0" cellspacing="0" style="border-collapse:collapse;margin:0 0 16px;width:100%;">${block.rows.map(
        ([label, value]) =>
          html`<tr><th scope="row" style="${SMALL}text-align:left;vertical-align:top;padding:4px 12px 4px 0;font-weight:normal;white-space:nowrap;">${label}</th><td style="${CELL}padding:4px 0;">${value}</td></tr>`,
      )}</table>`;
    case 'quote':
      return html`<blockquote style="${TEXT}margin:0 0 16px;padding:8px 16px;border-left:4px solid #cbd2d9;background:#f5f7fa;">${block.text
        .split('\n')
        .map((line, i) => (i === 0 ? html`${line}` : html`<br>${line}`))}</blockquote>`;
    case 'button':
      return html`<p style="margin:24px 0;"><a href="${block.url}" style="${FONT}display:inline-block;background:${ACCENT};color:#ffffff;font-size:16px;font-weight:bold;text-decoration:none;padding:12px 20px;border-radius:4px;">${block.label}</a></p>${
        block.showUrl
          ? html`<p style="${SMALL}font-size:13px;margin:0 0 16px;word-break:break-all;">${fmt.t('layout.linkFallback')}<br><a href="${block.url}" style="color:${ACCENT};">${block.url}</a></p>`
          : ''
      }`;
    case 'choices':
      return html`<p style="margin:24px 0;">${block.items.map(
        (item) =>
          html`<a href="${item.url}" style="${FONT}display:inline-block;border:2px solid ${ACCENT};color:${ACCENT};font-size:16px;font-weight:bold;text-decoration:none;padding:10px 18px;border-radius:4px;margin:0 12px 8px 0;">${item.label}</a>`,
      )}</p>`;
    case 'list':
      if (block.items.length === 0) {
        return html`<p style="${SMALL}margin:0 0 16px;">${block.empty ?? ''}</p>`;
      }
      return html`<ul style="${TEXT}margin:0 0 16px;padding-left:20px;">${block.items.map(
        (item) =>
          html`<li style="margin:0 0 6px;">${item.url ? html`<a href="${item.url}" style="color:${ACCENT};">${item.text}</a>` : item.text}${
            item.detail ? html`<br><span style="font-size:14px;color:#52606d;">${item.detail}</span>` : ''
          }</li>`,
      )}${block.more ? html`<li style="margin:0 0 6px;list-style:none;color:#52606d;">${block.more}</li>` : ''}</ul>`;
  }
}

export function renderHtml(doc: MailDocument, fmt: Formatter): string {
  const { ctx } = fmt;
  const home = fmt.url(ctx.publicBaseUrl);
  const page = html`<!doctype html>
<html lang="${fmt.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${doc.subject}</title>
</head>
<body style="margin:0;padding:0;background:#f0f2f5;">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;color:transparent;">${doc.preheader}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f0f2f5;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:6px;">
<tr><td style="padding:20px 24px;border-bottom:4px solid ${ACCENT};">
<a href="${home}" style="${FONT}font-size:20px;font-weight:bold;color:${ACCENT};text-decoration:none;">${ctx.portalName}</a>
</td></tr>
<tr><td style="padding:24px;">
${doc.greeting ? html`<p style="${TEXT}margin:0 0 16px;">${doc.greeting}</p>` : ''}
${doc.blocks.map((block) => html`${htmlBlock(block, fmt)}\n`)}
</td></tr>
<tr><td style="padding:16px 24px;border-top:1px solid #e4e7eb;">
<p style="${FONT}font-size:13px;line-height:1.5;color:#52606d;margin:0 0 8px;">${doc.why} ${fmt.t('layout.footer.automatic', { portalName: ctx.portalName })}</p>
<p style="${FONT}font-size:13px;line-height:1.5;color:#52606d;margin:0;">${
    ctx.unsubscribeUrl
      ? html`<a href="${fmt.url(ctx.unsubscribeUrl)}" style="color:${ACCENT};">${fmt.t('layout.footer.unsubscribe')}</a> · `
      : ''
  }<a href="${home}" style="color:${ACCENT};">${fmt.t('layout.footer.visit', { portalName: ctx.portalName })}</a></p>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
  return page.value;
}

function textBlock(block: Block): string {
  switch (block.type) {
    case 'paragraph':
      return block.text;
    case 'heading':
      return `${block.text}\n${'-'.repeat(Math.min(block.text.length, 60))}`;
    case 'facts':
      return block.rows.map(([label, value]) => `${label}: ${value}`).join('\n');
    case 'quote':
      return block.text
        .split('\n')
        .map((line) => (line ? `> ${line}` : '>'))
        .join('\n');
    case 'button':
      return `${block.label}:\n${block.url}`;
    case 'choices':
      return block.items.map((item) => `${item.label}:\n${item.url}`).join('\n\n');
    case 'list': {
      if (block.items.length === 0) return block.empty ?? '';
      const lines = block.items.map((item) => {
        let line = `- ${item.text}`;
        if (item.detail) line += `\n  ${item.detail}`;
        if (item.url) line += `\n  ${item.url}`;
        return line;
      });
      if (block.more) lines.push(`  ${block.more}`);
      return lines.join('\n');
    }
  }
}

export function renderText(doc: MailDocument, fmt: Formatter): string {
  const { ctx } = fmt;
  const parts: string[] = [];
  if (doc.greeting) parts.push(doc.greeting);
  for (const block of doc.blocks) {
    const text = textBlock(block);
    if (text) parts.push(text);
  }
  const footer = [
    '-- ',
    doc.why,
    fmt.t('layout.footer.automatic', { portalName: ctx.portalName }),
    ...(ctx.unsubscribeUrl ? [`${fmt.t('layout.footer.unsubscribe')}: ${fmt.url(ctx.unsubscribeUrl)}`] : []),
    `${ctx.portalName}: ${fmt.url(ctx.publicBaseUrl)}`,
  ];
  parts.push(footer.join('\n'));
  return `${parts.join('\n\n')}\n`;
}
