import { type Formatter, looksLikeEmail } from '../format.ts';
import type { Block } from '../layout.ts';
import type { TicketLink } from '../notification-types.ts';

export function greeting(fmt: Formatter, name: string | undefined): string {
  const trimmed = name?.trim();
  return trimmed && !looksLikeEmail(trimmed)
    ? fmt.t('layout.greeting.named', { name: trimmed })
    : fmt.t('layout.greeting.anonymous');
}

export function ticketFacts(
  fmt: Formatter,
  ticket: Pick<TicketLink, 'ref' | 'title'>,
): Array<[string, string]> {
  return [
    [fmt.t('label.ref'), ticket.ref],
    [fmt.t('label.title'), ticket.title],
  ];
}

export function facts(rows: Array<[string, string] | false | undefined>): Block {
  return { type: 'facts', rows: rows.filter((row): row is [string, string] => Boolean(row)) };
}
