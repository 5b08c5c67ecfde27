import type { CommandContext, StaffPrincipal } from '@quipu/commands';
import {
  isObjectId,
  type OrganisationRecord,
  type TeamRecord,
  type UserRecord,
  type View,
  weekStarts,
} from '@quipu/db';
import type { WebContext } from '../../web-context.ts';

/** At most a year of weeks in the chart and its table (a longer range shows its last 53 weeks). */
const MAX_WEEKS = 53;
const WEEK_MS = 7 * 86_400_000;

/** The Mondays of the weeks that meet [from, to), up to today, oldest first. */
export function weeksOf(from: Date, to: Date, now: Date, timeZone: string): Date[] {
  const end = new Date(Math.min(to.getTime(), now.getTime()) - 1);
  const [firstMonday] = weekStarts(from, timeZone, 1);
  const [lastMonday] = weekStarts(end, timeZone, 1);
  const weeks = Math.round((lastMonday!.getTime() - firstMonday!.getTime()) / WEEK_MS) + 1;
  return weekStarts(end, timeZone, Math.min(Math.max(weeks, 1), MAX_WEEKS));
}
/** Midnight of a calendar day in the portal's zone, as an instant. */
function startOfDay(day: string, timeZone: string): Date {
  const noonUtc = new Date(`${day}T12:00:00Z`);
  const offsetMs = noonUtc.getTime() - new Date(noonUtc.toLocaleString('en-US', { timeZone })).getTime();
  return new Date(new Date(`${day}T00:00:00Z`).getTime() + Math.round(offsetMs / 60_000) * 60_000);
}

/** A real calendar day `YYYY-MM-DD` (2026-02-31 is not one), else null. */
function calendarDay(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const noon = new Date(`${value}T12:00:00Z`);
  return !Number.isNaN(noon.getTime()) && noon.toISOString().startsWith(value) ? value : null;
}

/** A query parameter: '' when absent, null when repeated (`?equipo=a&equipo=b` is not one team). */
function param(value: unknown): string | null {
  return typeof value === 'string' ? value.trim() : value === undefined ? '' : null;
}

interface Filters {
  fromDay: string;
  toDay: string;
  from: Date;
  to: Date;
  view: View;
  organisation: OrganisationRecord | null;
  team: TeamRecord | null;
  officer: UserRecord | null;
  /** What was asked for and ignored, as sentences for the page. */
  problems: string[];
}

/**
 * The page's filters from its GET parameters, each checked against what the viewer may see
 * (a value outside their scope is found nowhere): a bad value is ignored with a message, never
 * an error. Date range: calendar days in the portal's zone, the last 90 days by default.
 */
export async function readFilters(
  ctx: WebContext,
  commands: CommandContext,
  principal: StaffPrincipal,
  /** The organisations the viewer may see (their scope). */
  visible: readonly OrganisationRecord[],
  now: Date,
): Promise<Filters> {
  const { t, timeZone } = ctx.state.web;
  const problems: string[] = [];
  const iso = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(d);
  const day = (name: 'desde' | 'hasta', fallback: string) => {
    const raw = param(ctx.query[name]);
    if (raw === '') return fallback;
    const valid = raw === null ? null : calendarDay(raw);
    if (!valid) problems.push(t('panel.invalid.date', { value: (raw ?? '…').slice(0, 40) }));
    return valid ?? fallback;
  };
  let fromDay = day('desde', iso(new Date(now.getTime() - 90 * 86_400_000)));
  let toDay = day('hasta', iso(now));
  if (fromDay > toDay) {
    [fromDay, toDay] = [toDay, fromDay];
    problems.push(t('panel.invalid.range'));
  }

  const scope = principal.scope;
  const wanted = {
    organisation: param(ctx.query.institucion),
    team: param(ctx.query.equipo),
    officer: param(ctx.query.persona),
  };
  // Each value is looked for within the viewer's scope only, so one outside it is found nowhere.
  // The institution (by id or slug) comes from the list the viewer may see, not from
  // directory.findOrganisation, whose scope filter an id overrides.
  const organisation =
    visible.find((o) => String(o._id) === wanted.organisation || o.slug === wanted.organisation) ?? null;
  if (wanted.organisation !== '' && !organisation) problems.push(t('panel.invalid.organisation'));
  let team = isObjectId(wanted.team) ? await commands.directory.findTeam(scope, wanted.team) : null;
  const teamOrganisation = team ? String(team.organisationId) : null;
  if (teamOrganisation && !visible.some((o) => String(o._id) === teamOrganisation)) team = null;
  if (wanted.team !== '' && !team) problems.push(t('panel.invalid.team'));
  if (team && organisation && String(team.organisationId) !== String(organisation._id)) {
    problems.push(t('panel.invalid.teamOrganisation'));
    team = null;
  }
  const officer = isObjectId(wanted.officer)
    ? await commands.directory.findUser(scope, wanted.officer)
    : null;
  if (wanted.officer !== '' && !officer) problems.push(t('panel.invalid.officer'));
  return {
    fromDay,
    toDay,
    from: startOfDay(fromDay, timeZone),
    to: new Date(startOfDay(toDay, timeZone).getTime() + 86_400_000),
    view: {
      scope,
      organisationId: organisation ? String(organisation._id) : undefined,
      teamId: team ? String(team._id) : undefined,
      assigneeId: officer ? String(officer._id) : undefined,
    },
    organisation,
    team,
    officer,
    problems,
  };
}

/** The same page (or one of its CSVs) with the filters in force. */
export function panelUrl(filters: Filters, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ desde: filters.fromDay, hasta: filters.toDay });
  if (filters.view.organisationId) query.set('institucion', filters.view.organisationId);
  if (filters.view.teamId) query.set('equipo', filters.view.teamId);
  if (filters.view.assigneeId) query.set('persona', filters.view.assigneeId);
  for (const [key, value] of Object.entries(extra)) query.set(key, value);
  return `/mesa/panel?${query}`;
}
