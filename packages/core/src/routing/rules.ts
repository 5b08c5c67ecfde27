// Which team a ticket goes to. Rules come from config/routing.json (overridable by admins):
// an ordered list where the first enabled rule whose every criterion matches wins; when
// none does, the organisation's fallback team (the nearest configured in its ancestor
// chain), then the default triage team of the ticket's own organisation.
import { normaliseText } from '../tickets/abuse.ts';
import type { TicketKind } from '../tickets/model.ts';
import { CATEGORIES_BY_KIND, isTicketKind, TICKET_KINDS } from '../tickets/model.ts';

type OneOrMany<T> = T | readonly T[];

/** Every present criterion must match (AND); a list matches any of its values (OR). */
export interface RoutingMatch {
  kind?: OneOrMany<TicketKind>;
  category?: OneOrMany<string>;
  /** Organisation keys (slugs or ids, as the caller passes them); matches descendants too. */
  organisation?: OneOrMany<string>;
  /** Matches when the dataset carries any of these tags (case- and accent-insensitive). */
  datasetTags?: OneOrMany<string>;
  /** Matches the resource's format, case-insensitive, with or without a leading dot. */
  resourceFormat?: OneOrMany<string>;
}

export interface RoutingTarget {
  teamId?: string;
  teamSlug?: string;
  /** Where the team lives; omitted: the ticket's own organisation. */
  organisation?: string;
}

export interface RoutingRule {
  id: string;
  description?: string;
  enabled?: boolean;
  match: RoutingMatch;
  target: RoutingTarget;
}

export interface RoutingConfig {
  rules: readonly RoutingRule[];
  fallback: {
    /** Per organisation key; a child organisation uses its nearest configured ancestor's. */
    byOrganisation?: Readonly<Record<string, RoutingTarget>>;
    /** The team every organisation has for unrouted tickets. */
    default: RoutingTarget;
  };
}

export interface RoutableTicket {
  kind: TicketKind;
  category?: string | null;
  organisationId: string;
  organisationSlug?: string | null;
  datasetTags?: readonly string[] | null;
  resourceFormat?: string | null;
}

export interface RouteContext {
  /** The ticket organisation's ancestors, nearest parent first (ids or slugs, as in config). */
  organisationAncestors?: readonly string[];
  /**
   * Whether a target team exists (the caller preloads the teams). Rules naming a missing
   * team are skipped, so one national rule set can serve organisations lacking some teams.
   */
  teamExists?: (target: RoutingTarget, ticket: RoutableTicket) => boolean;
}

export interface RouteResult {
  teamId: string | null;
  teamSlug: string | null;
  /** The organisation of the team when it is not the ticket's own (from the target). */
  organisation: string | null;
  /** The rule id, `fallback:<organisation>` or `fallback:default`. */
  ruleId: string;
  /** For the audit trail and the admin's "why did this go there?" (English, for logs and the API). */
  reason: string;
  /** The same, as data: pages put it into words in the reader's language. */
  explanation: RoutingExplanation;
}

export interface RoutingExplanation {
  /** A rule matched; else the fallback of an organisation of the chain; else the default team. */
  via: 'rule' | 'organisation' | 'default';
  ruleId: string | null;
  /** What the rule matched on (empty: a rule for every ticket). */
  matched: Array<{ key: string; value: string }>;
  /** The organisation whose fallback applied. */
  organisation: string | null;
  /** `team` or `team@organisation`. */
  target: string;
  /** Rules that matched but whose team does not exist here. */
  skipped: string[];
}

export const MATCH_KEYS = ['kind', 'category', 'organisation', 'datasetTags', 'resourceFormat'] as const;
export type MatchKey = (typeof MATCH_KEYS)[number];

function asList<T>(value: OneOrMany<T> | undefined): readonly T[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

function normaliseFormat(format: string): string {
  return format.trim().toLowerCase().replace(/^\./, '');
}

/** The organisation keys a ticket answers to, itself first, then its ancestors nearest first. */
export function organisationChain(ticket: RoutableTicket, ctx: RouteContext = {}): string[] {
  const own = [ticket.organisationId, ticket.organisationSlug].filter((key): key is string => !!key);
  return [...new Set([...own, ...(ctx.organisationAncestors ?? [])])];
}

/** Why `rule` matches (`kind=complaint, …`), or null when it does not. */
function explainMatch(
  match: RoutingMatch,
  ticket: RoutableTicket,
  chain: readonly string[],
): Array<{ key: MatchKey; value: string }> | null {
  const because: Array<{ key: MatchKey; value: string }> = [];
  for (const key of MATCH_KEYS) {
    const wanted = asList(match[key] as OneOrMany<string> | undefined);
    if (wanted === undefined) continue;
    const hit = matchOne(key, wanted, ticket, chain);
    if (hit === null) return null;
    because.push({ key, value: hit });
  }
  return because;
}

function matchOne(
  key: MatchKey,
  wanted: readonly string[],
  ticket: RoutableTicket,
  chain: readonly string[],
) {
  switch (key) {
    case 'kind':
      return wanted.includes(ticket.kind) ? ticket.kind : null;
    case 'category':
      return ticket.category != null && wanted.includes(ticket.category) ? ticket.category : null;
    case 'organisation':
      return chain.find((org) => wanted.includes(org)) ?? null;
    case 'datasetTags': {
      const tags = wanted.map(normaliseText);
      return (ticket.datasetTags ?? []).find((tag) => tags.includes(normaliseText(tag))) ?? null;
    }
    case 'resourceFormat': {
      if (!ticket.resourceFormat) return null;
      const format = normaliseFormat(ticket.resourceFormat);
      return wanted.map(normaliseFormat).includes(format) ? format : null;
    }
  }
}

function describeTarget(target: RoutingTarget): string {
  const team = target.teamSlug ?? target.teamId ?? '?';
  return target.organisation ? `${team}@${target.organisation}` : team;
}

function resultFor(
  target: RoutingTarget,
  ruleId: string,
  reason: string,
  explanation: Omit<RoutingExplanation, 'target'>,
): RouteResult {
  return {
    teamId: target.teamId ?? null,
    teamSlug: target.teamSlug ?? null,
    organisation: target.organisation ?? null,
    ruleId,
    reason,
    explanation: { ...explanation, target: describeTarget(target) },
  };
}

export function route(config: RoutingConfig, ticket: RoutableTicket, ctx: RouteContext = {}): RouteResult {
  const chain = organisationChain(ticket, ctx);
  const exists = (target: RoutingTarget) => ctx.teamExists?.(target, ticket) ?? true;
  const skipped: string[] = [];
  for (const rule of config.rules) {
    if (rule.enabled === false) continue;
    const because = explainMatch(rule.match, ticket, chain);
    if (because === null) continue;
    if (!exists(rule.target)) {
      skipped.push(rule.id);
      continue;
    }
    const said = because.length > 0 ? because.map((b) => `${b.key}=${b.value}`).join(', ') : 'every ticket';
    return resultFor(
      rule.target,
      rule.id,
      `rule "${rule.id}" matched ${said} → ${describeTarget(rule.target)}`,
      {
        via: 'rule',
        ruleId: rule.id,
        matched: because,
        organisation: null,
        skipped,
      },
    );
  }
  const note = skipped.length > 0 ? ` (matching rules without their team here: ${skipped.join(', ')})` : '';
  const byOrganisation = config.fallback.byOrganisation ?? {};
  for (const org of chain) {
    const target = byOrganisation[org];
    if (target && exists(target)) {
      return resultFor(
        target,
        `fallback:${org}`,
        `no rule matched${note}; fallback of organisation "${org}" → ${describeTarget(target)}`,
        { via: 'organisation', ruleId: null, matched: [], organisation: org, skipped },
      );
    }
  }
  const target = config.fallback.default;
  return resultFor(
    target,
    'fallback:default',
    `no rule matched${note}; default team → ${describeTarget(target)}`,
    { via: 'default', ruleId: null, matched: [], organisation: null, skipped },
  );
}

/** Whether two routing outcomes send the ticket to the same team. */
export function sameTeam(a: RouteResult, b: RouteResult): boolean {
  return a.teamId === b.teamId && a.teamSlug === b.teamSlug && a.organisation === b.organisation;
}

// ---------------------------------------------------------------- validation

export type ParsedRoutingConfig = { ok: true; config: RoutingConfig } | { ok: false; errors: string[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function checkTarget(value: unknown, where: string, errors: string[]): void {
  if (!isRecord(value)) {
    errors.push(`${where}: must be an object with teamId or teamSlug`);
    return;
  }
  for (const key of Object.keys(value)) {
    if (!['teamId', 'teamSlug', 'organisation'].includes(key)) errors.push(`${where}: unknown key "${key}"`);
    else if (!isNonEmptyString(value[key])) errors.push(`${where}.${key}: must be a non-empty string`);
  }
  if (value.teamId === undefined && value.teamSlug === undefined)
    errors.push(`${where}: needs teamId or teamSlug`);
}

function checkStrings(value: unknown, where: string, errors: string[]): readonly string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every(isNonEmptyString)) {
    errors.push(`${where}: must be a non-empty string or a non-empty list of them`);
    return [];
  }
  return list;
}

function checkMatch(value: unknown, where: string, errors: string[]): void {
  if (!isRecord(value)) {
    errors.push(`${where}: must be an object`);
    return;
  }
  for (const key of Object.keys(value)) {
    // A misspelt criterion would silently match everything; refuse it instead.
    if (!(MATCH_KEYS as readonly string[]).includes(key)) errors.push(`${where}: unknown criterion "${key}"`);
  }
  let kinds: readonly TicketKind[] = TICKET_KINDS;
  if (value.kind !== undefined) {
    const listed = checkStrings(value.kind, `${where}.kind`, errors);
    for (const kind of listed) if (!isTicketKind(kind)) errors.push(`${where}.kind: unknown kind "${kind}"`);
    kinds = listed.filter(isTicketKind);
  }
  if (value.category !== undefined) {
    for (const category of checkStrings(value.category, `${where}.category`, errors)) {
      const known = kinds.some((kind) => (CATEGORIES_BY_KIND[kind] as readonly string[]).includes(category));
      if (!known) errors.push(`${where}.category: "${category}" is not a category of ${kinds.join(' or ')}`);
    }
  }
  for (const key of ['organisation', 'datasetTags', 'resourceFormat'] as const) {
    if (value[key] !== undefined) checkStrings(value[key], `${where}.${key}`, errors);
  }
}

/** Validates a routing document (from config/routing.json or an admin's edit). */
export function parseRoutingConfig(value: unknown): ParsedRoutingConfig {
  const errors: string[] = [];
  if (!isRecord(value)) return { ok: false, errors: ['routing config must be an object'] };
  for (const key of Object.keys(value)) {
    if (!['$schema', 'description', 'rules', 'fallback'].includes(key)) errors.push(`unknown key "${key}"`);
  }
  if (!Array.isArray(value.rules)) errors.push('rules: must be a list');
  const ids = new Set<string>();
  (Array.isArray(value.rules) ? value.rules : []).forEach((rule: unknown, index) => {
    const where = `rules[${index}]`;
    if (!isRecord(rule)) {
      errors.push(`${where}: must be an object`);
      return;
    }
    for (const key of Object.keys(rule)) {
      if (!['id', 'description', 'enabled', 'match', 'target'].includes(key))
        errors.push(`${where}: unknown key "${key}"`);
    }
    if (!isNonEmptyString(rule.id)) errors.push(`${where}.id: must be a non-empty string`);
    else if (ids.has(rule.id) || rule.id.startsWith('fallback:'))
      errors.push(`${where}.id: "${rule.id}" is taken`);
    else ids.add(rule.id);
    if (rule.enabled !== undefined && typeof rule.enabled !== 'boolean')
      errors.push(`${where}.enabled: must be true or false`);
    if (rule.description !== undefined && typeof rule.description !== 'string')
      errors.push(`${where}.description: must be text`);
    checkMatch(rule.match, `${where}.match`, errors);
    checkTarget(rule.target, `${where}.target`, errors);
  });
  if (!isRecord(value.fallback)) {
    errors.push('fallback: must be an object with a default target');
  } else {
    for (const key of Object.keys(value.fallback)) {
      if (!['default', 'byOrganisation'].includes(key)) errors.push(`fallback: unknown key "${key}"`);
    }
    checkTarget(value.fallback.default, 'fallback.default', errors);
    const byOrganisation = value.fallback.byOrganisation;
    if (byOrganisation !== undefined) {
      if (!isRecord(byOrganisation)) errors.push('fallback.byOrganisation: must be an object');
      else
        for (const [org, target] of Object.entries(byOrganisation))
          checkTarget(target, `fallback.byOrganisation.${org}`, errors);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config: value as unknown as RoutingConfig };
}
