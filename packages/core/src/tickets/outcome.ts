/** The part of a stored event the outcome needs; the ticket document embeds its events. */
export interface OutcomeEvent {
  type: string;
  action?: string | null;
  to?: unknown;
  fields?: unknown;
  at?: Date | string | null;
}

export interface Resolution {
  text: string;
  at: Date | string | null;
}

const STILL_RESOLVED = new Set(['resolved', 'closed']);

/**
 * What the officer told the reporter when resolving, for as long as that answer stands: from the
 * latest `resolve` until a status change leaves resolved/closed (a dispute or a reopen). The
 * reporter is asked "was it solved?" about this text, so every page and e-mail that shows the
 * outcome shows it.
 */
export function currentResolution(events: readonly OutcomeEvent[]): Resolution | null {
  let current: Resolution | null = null;
  for (const event of events) {
    if (event.type !== 'status_changed') continue;
    const text = (event.fields as { resolution?: unknown } | null | undefined)?.resolution;
    if (event.action === 'resolve' && typeof text === 'string' && text.trim() !== '') {
      current = { text, at: event.at ?? null };
    } else if (!STILL_RESOLVED.has(String(event.to))) {
      current = null;
    }
  }
  return current;
}
