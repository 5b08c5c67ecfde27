import type { MessageKey, Translate } from './i18n/index.ts';

/** What a `routed` event stores in `fields` (see routedFields in @quipu/commands). */
interface RoutedFields {
  routing?: {
    via?: string;
    ruleId?: string | null;
    matched?: Array<{ key: string; value: string }>;
    organisation?: string | null;
    target?: string;
    skipped?: string[];
  };
  assignment?: { outcome?: string; strategy?: string; load?: number };
  cause?: string;
}

const MATCH_KEYS = ['kind', 'category', 'organisation', 'datasetTags', 'resourceFormat'];
const OUTCOMES = ['manual', 'no_members', 'all_away', 'all_at_capacity', 'dataset_officer'];

/**
 * A routing decision in the reader's language, from the event's data; null for events stored
 * before the data was kept (their English `reason` is shown instead).
 */
export function routingWords(t: Translate, fields: unknown): string | null {
  const { routing, assignment, cause } = (fields ?? {}) as RoutedFields;
  if (!routing?.via || !routing.target) return null;
  const parts: string[] = [];
  if (cause === 'category_changed') parts.push(t('routing.cause.category'));
  if (cause === 'transferred') parts.push(t('routing.cause.transfer'));
  if (routing.via === 'rule') {
    const matched = (routing.matched ?? [])
      .map((m) =>
        MATCH_KEYS.includes(m.key) ? `${t(`routing.key.${m.key}` as MessageKey)} = ${m.value}` : m.value,
      )
      .join(', ');
    parts.push(
      t('routing.rule', {
        rule: routing.ruleId ?? '',
        matched: matched || t('routing.everyTicket'),
        target: routing.target,
      }),
    );
  } else if (routing.via === 'organisation') {
    parts.push(
      t('routing.organisation', { organisation: routing.organisation ?? '', target: routing.target }),
    );
  } else {
    parts.push(t('routing.default', { target: routing.target }));
  }
  if (routing.skipped?.length) parts.push(t('routing.skipped', { rules: routing.skipped.join(', ') }));
  const outcome = assignment?.outcome;
  if (outcome === 'chosen')
    parts.push(
      assignment?.strategy === 'least_loaded'
        ? t('routing.assign.leastLoaded', { load: assignment.load ?? 0 })
        : t('routing.assign.rotation'),
    );
  else if (outcome && OUTCOMES.includes(outcome)) parts.push(t(`routing.assign.${outcome}` as MessageKey));
  return parts.join(' ');
}
