import { describe, expect, test } from 'vitest';
import type { TicketStatus } from '../tickets/model.ts';
import type { RerouteRequest } from './reroute.ts';
import { shouldReroute } from './reroute.ts';
import type { RoutableTicket, RoutingConfig } from './rules.ts';

const config: RoutingConfig = {
  rules: [
    { id: 'privacy', match: { category: 'personal_data' }, target: { teamSlug: 'privacidad' } },
    { id: 'links', match: { category: ['broken_link', 'outdated'] }, target: { teamSlug: 'soporte' } },
    { id: 'gis', match: { resourceFormat: 'shp' }, target: { teamSlug: 'gis' } },
  ],
  fallback: { default: { teamSlug: 'triaje' } },
};
const base: RoutableTicket = { kind: 'complaint', category: 'broken_link', organisationId: 'minsa' };

describe('shouldReroute', () => {
  test.each([
    [
      'category moves it to another team',
      { category: 'personal_data' },
      'in_progress',
      false,
      true,
      'route_changed',
      'privacidad',
    ],
    ['category within the same rule', { category: 'outdated' }, 'triaged', false, false, 'same_route', null],
    [
      'a new resource format',
      { resourceFormat: 'SHP', category: 'other' },
      'triaged',
      false,
      true,
      'route_changed',
      'gis',
    ],
    [
      'the organisation changed',
      { organisationId: 'mef' },
      'triaged',
      true,
      true,
      'organisation_changed',
      'soporte',
    ],
    ['nothing that routing reads', {}, 'new', false, false, 'nothing_relevant_changed', null],
    [
      'a person chose the team',
      { category: 'personal_data' },
      'triaged',
      true,
      false,
      'manual_assignment',
      null,
    ],
    ['the ticket is finished', { category: 'personal_data' }, 'closed', false, false, 'finished', null],
  ] as [string, Partial<RoutableTicket>, TicketStatus, boolean, boolean, string, string | null][])(
    '%s → reroute %s',
    (_name, change, status, manual, reroute, reason, team) => {
      const request: RerouteRequest = {
        before: base,
        after: { ...base, ...change },
        status,
        teamSetManually: manual,
      };
      const decision = shouldReroute(config, request);
      expect({
        reroute: decision.reroute,
        reason: decision.reason,
        team: decision.route?.teamSlug ?? null,
      }).toEqual({
        reroute,
        reason,
        team,
      });
    },
  );

  test('uses the new ancestors for the new route', () => {
    const withOrgRule: RoutingConfig = {
      ...config,
      rules: [
        { id: 'mef', match: { organisation: 'mef' }, target: { teamSlug: 'mef-datos' } },
        ...config.rules,
      ],
    };
    const decision = shouldReroute(withOrgRule, {
      before: base,
      after: { ...base, organisationId: 'sunat' },
      status: 'triaged',
      context: { organisationAncestors: ['mef'] },
      previousContext: { organisationAncestors: [] },
    });
    expect(decision).toMatchObject({ reroute: true, route: { ruleId: 'mef', teamSlug: 'mef-datos' } });
  });
});
