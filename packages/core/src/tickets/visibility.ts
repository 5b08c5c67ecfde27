// Which tickets the public pages, feeds and badges may show. The reporter's identity is
// never public whatever this says; this decides about the ticket itself.
import { shouldHide } from './abuse.ts';
import type { TicketKind } from './model.ts';

export interface VisibilityTicket {
  kind: TicketKind;
  category?: string | null;
  /** The reporter confirmed their e-mail address (irrelevant to worker-opened tickets). */
  reporterVerified?: boolean;
  /** Staff chose to keep this ticket private. */
  private?: boolean;
  /** A moderator hid it (spam, abuse). */
  hidden?: boolean;
  flagCount?: number;
  /** A moderator reviewed the flags and kept it public. */
  flagsCleared?: boolean;
}

export const VISIBILITY_REASONS = [
  'visible',
  'personal_data',
  'unverified_reporter',
  'private',
  'hidden',
  'flagged',
] as const;
export type VisibilityReason = (typeof VISIBILITY_REASONS)[number];

export interface VisibilityDecision {
  visible: boolean;
  reason: VisibilityReason;
}

export function publicVisibility(
  ticket: VisibilityTicket,
  options: { flagThreshold: number },
): VisibilityDecision {
  // Publishing a complaint about exposed personal data would expose it a second time.
  if (ticket.kind === 'complaint' && ticket.category === 'personal_data') {
    return { visible: false, reason: 'personal_data' };
  }
  if (ticket.private === true) return { visible: false, reason: 'private' };
  if (ticket.hidden === true) return { visible: false, reason: 'hidden' };
  if (ticket.kind !== 'quality_issue' && ticket.reporterVerified !== true) {
    return { visible: false, reason: 'unverified_reporter' };
  }
  if (ticket.flagsCleared !== true && shouldHide(ticket.flagCount ?? 0, options.flagThreshold)) {
    return { visible: false, reason: 'flagged' };
  }
  return { visible: true, reason: 'visible' };
}

export function isPubliclyVisible(ticket: VisibilityTicket, options: { flagThreshold: number }): boolean {
  return publicVisibility(ticket, options).visible;
}
