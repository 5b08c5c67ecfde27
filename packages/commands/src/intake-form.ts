import { normaliseText } from '@quipu/core/tickets';
import type { CommandContext } from './context.ts';
import { type OpenTicketProps, openTicket } from './intake.ts';
import { linkToken, sha256 } from './secrets.ts';

/** How long a form's token and the "same report" window last. */
const DAY_MS = 24 * 60 * 60 * 1000;
/** A second press of the button while the first is still being written waits for it this long. */
const PENDING_WAIT_MS = 5000;
const PENDING_POLL_MS = 250;
export const FORM_TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

export type FormSubmission =
  /** Opened now, or by an earlier send of the same form (a reload, a double press, Back + send). */
  | { outcome: 'opened' | 'replayed'; ticketId: string; ref: string; trackingToken: string }
  /** The same address sent the same text about the same dataset within a day, not confirmed again. */
  | { outcome: 'duplicate' }
  /** This form was already sent with other content: a new report needs a new form. */
  | { outcome: 'changed' }
  /** An earlier send of this form is still being written. */
  | { outcome: 'pending' };

interface StoredOpening {
  ticketId: string;
  ref: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Whether this address already filed this text about this dataset (or organisation) in the last
 * day. Texts are compared normalised (case, accents, spacing), as a resend would differ only so.
 */
export async function sameReportFiled(ctx: CommandContext, props: OpenTicketProps): Promise<boolean> {
  const email = props.reporter.email.trim().toLowerCase();
  let about: { datasetId: string } | { organisationId: string } | null = null;
  const dataset = props.dataset
    ? await ctx.datasets.find(props.dataset)
    : props.datasetUrl
      ? await ctx.datasets.findByUrl(props.datasetUrl)
      : null;
  if (dataset) about = { datasetId: String(dataset._id) };
  else if (props.organisation) {
    const organisation = await ctx.directory.findOrganisation({ kind: 'everything' }, props.organisation);
    if (organisation) about = { organisationId: String(organisation._id) };
  }
  if (!about) return false;
  const text = normaliseText(props.description);
  const filed = await ctx.tickets.filedBySince(
    props.kind,
    email,
    about,
    new Date(ctx.now().getTime() - DAY_MS),
  );
  return filed.some((t) => normaliseText(t.description) === text);
}

/**
 * The web intake forms: each carries its own token (`formToken`), claimed as an idempotency key
 * as the API's `Idempotency-Key` is, so the same form opens at most one ticket however often it
 * is sent. Before opening, the same report from the same address within a day is refused unless
 * the reporter confirmed it (`allowDuplicate`).
 */
export async function submitIntakeForm(
  ctx: CommandContext,
  props: OpenTicketProps,
  options: { formToken?: string | undefined; allowDuplicate: boolean },
): Promise<FormSubmission> {
  const token = options.formToken && FORM_TOKEN.test(options.formToken) ? options.formToken : undefined;
  const key = token ? `web-form:${token}` : undefined;
  const opened = (stored: StoredOpening, outcome: 'opened' | 'replayed'): FormSubmission => ({
    outcome,
    ...stored,
    trackingToken: linkToken(ctx.config.session.secret, 'tracking', stored.ticketId),
  });
  if (key) {
    const fingerprint = sha256(JSON.stringify(props));
    // Real time, not the command clock: this bounds how long the request waits.
    const deadline = Date.now() + PENDING_WAIT_MS;
    for (;;) {
      const now = ctx.now();
      const claim = await ctx.engagement.claimIdempotencyKey(
        key,
        fingerprint,
        new Date(now.getTime() + DAY_MS),
        now,
      );
      if (claim.outcome === 'new') break;
      if (claim.outcome === 'replay') return opened(claim.body as StoredOpening, 'replayed');
      if (claim.outcome === 'mismatch') return { outcome: 'changed' };
      if (Date.now() >= deadline) return { outcome: 'pending' };
      await sleep(PENDING_POLL_MS);
    }
  }
  try {
    if (!options.allowDuplicate && (await sameReportFiled(ctx, props))) {
      if (key) await ctx.engagement.releaseIdempotencyKey(key);
      return { outcome: 'duplicate' };
    }
    const { ticket } = await openTicket(ctx, props);
    const stored: StoredOpening = { ticketId: String(ticket._id), ref: ticket.ref };
    if (key) await ctx.engagement.completeIdempotencyKey(key, 201, stored);
    return opened(stored, 'opened');
  } catch (error) {
    if (key) await ctx.engagement.releaseIdempotencyKey(key);
    throw error;
  }
}
