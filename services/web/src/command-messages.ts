import type { CommandError } from '@quipu/commands';
import { PLAN_ERROR_CODES, ticketLabel } from '@quipu/core/tickets';
import type { Locale, MessageKey, Translate } from './i18n/index.ts';

/** Command refusals the pages can explain in the reader's language (commands speak English). */
const OWN: Record<string, MessageKey> = {
  concurrent_change: 'error.concurrent',
  use_merge: 'error.useMerge',
  too_many_comments: 'error.tooManyComments',
  consent_required: 'field.consent',
  unknown_dataset: 'field.unknownDataset',
  unknown_organisation: 'field.unknownOrganisation',
  rejected_as_spam: 'report.spam',
};

export function commandMessage(error: CommandError, locale: Locale, t: Translate): string {
  if ((PLAN_ERROR_CODES as readonly string[]).includes(error.code))
    return ticketLabel(locale, 'error', error.code);
  const own = OWN[error.code];
  return own ? t(own) : t('error.refused');
}
