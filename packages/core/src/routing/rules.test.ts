import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { RoutableTicket, RoutingConfig } from './rules.ts';
import { organisationChain, parseRoutingConfig, route } from './rules.ts';

const config: RoutingConfig = {
  rules: [
    { id: 'off', enabled: false, match: {}, target: { teamSlug: 'never' } },
    {
      id: 'privacy',
      match: { kind: 'complaint', category: 'personal_data' },
      target: { teamSlug: 'privacidad' },
    },
    { id: 'gis', match: { resourceFormat: ['SHP', '.geojson'] }, target: { teamSlug: 'gis' } },
    {
      id: 'health-tags',
      match: { organisation: 'minsa', datasetTags: 'Vigilancia Epidemiológica' },
      target: { teamSlug: 'cdc', organisation: 'minsa' },
    },
    {
      id: 'minsa-quality',
      match: { organisation: ['minsa'], kind: 'quality_issue' },
      target: { teamId: 'team-42' },
    },
    { id: 'requests', match: { kind: ['data_request'] }, target: { teamSlug: 'gestion' } },
  ],
  fallback: {
    byOrganisation: {
      minsa: { teamSlug: 'mesa-minsa', organisation: 'minsa' },
      'hospital-loayza': { teamSlug: 'mesa-loayza' },
    },
    default: { teamSlug: 'triaje' },
  },
};

const ticket = (overrides: Partial<RoutableTicket>): RoutableTicket => ({
  kind: 'complaint',
  category: 'other',
  organisationId: 'org-1',
  organisationSlug: 'hospital-loayza',
  ...overrides,
});
const UNDER_MINSA = { organisationAncestors: ['minsa', 'pcm'] };

describe('route', () => {
  test.each([
    [
      'the first matching rule wins over later ones',
      ticket({ category: 'personal_data', resourceFormat: 'shp' }),
      UNDER_MINSA,
      'privacy',
      'privacidad',
    ],
    ['format is case-insensitive, dot optional', ticket({ resourceFormat: 'GeoJSON' }), {}, 'gis', 'gis'],
    [
      'organisation matches through the ancestor chain',
      ticket({ kind: 'quality_issue', category: 'validity' }),
      UNDER_MINSA,
      'minsa-quality',
      null,
    ],
    [
      'tags are case- and accent-insensitive',
      ticket({ datasetTags: ['vigilancia epidemiologica'] }),
      UNDER_MINSA,
      'health-tags',
      'cdc',
    ],
    [
      'tags alone do not match outside the organisation',
      ticket({ datasetTags: ['vigilancia epidemiologica'] }),
      {},
      'fallback:hospital-loayza',
      'mesa-loayza',
    ],
    [
      'the fallback of the organisation itself comes first',
      ticket({}),
      UNDER_MINSA,
      'fallback:hospital-loayza',
      'mesa-loayza',
    ],
    [
      'then the nearest ancestor with a fallback',
      ticket({ organisationSlug: 'instituto-nacional-de-salud' }),
      UNDER_MINSA,
      'fallback:minsa',
      'mesa-minsa',
    ],
    [
      'then the default team',
      ticket({ organisationSlug: 'sunat' }),
      { organisationAncestors: ['mef'] },
      'fallback:default',
      'triaje',
    ],
    [
      'a disabled rule never matches, even a catch-all',
      ticket({ organisationSlug: null }),
      {},
      'fallback:default',
      'triaje',
    ],
    [
      'a missing category matches no category rule',
      ticket({ kind: 'data_request', category: null }),
      {},
      'requests',
      'gestion',
    ],
  ] as const)('%s', (_name, t, ctx, ruleId, teamSlug) => {
    const result = route(config, t, ctx);
    expect({ ruleId: result.ruleId, teamSlug: result.teamSlug }).toEqual({ ruleId, teamSlug });
  });

  test('the result carries the team, its organisation and the reason', () => {
    expect(route(config, ticket({ kind: 'quality_issue', category: 'validity' }), UNDER_MINSA)).toEqual({
      teamId: 'team-42',
      teamSlug: null,
      organisation: null,
      ruleId: 'minsa-quality',
      reason: 'rule "minsa-quality" matched kind=quality_issue, organisation=minsa → team-42',
      explanation: {
        via: 'rule',
        ruleId: 'minsa-quality',
        matched: [
          { key: 'kind', value: 'quality_issue' },
          { key: 'organisation', value: 'minsa' },
        ],
        organisation: null,
        target: 'team-42',
        skipped: [],
      },
    });
    expect(
      route(config, ticket({ datasetTags: ['x', 'Vigilancia epidemiológica'] }), UNDER_MINSA),
    ).toMatchObject({
      organisation: 'minsa',
      reason:
        'rule "health-tags" matched organisation=minsa, datasetTags=Vigilancia epidemiológica → cdc@minsa',
    });
  });

  test('rules whose team the organisation lacks are skipped, and said so', () => {
    const result = route(config, ticket({ category: 'personal_data' }), {
      teamExists: (target) => target.teamSlug !== 'privacidad' && target.teamSlug !== 'mesa-loayza',
    });
    expect(result.ruleId).toBe('fallback:default');
    expect(result.reason).toContain('privacy');
    expect(result.explanation).toMatchObject({ via: 'default', ruleId: null, matched: [] });
    expect(result.explanation.skipped).toContain('privacy');
  });

  test('the organisation chain lists the ticket first, without repeats', () => {
    expect(organisationChain(ticket({}), { organisationAncestors: ['minsa', 'org-1'] })).toEqual([
      'org-1',
      'hospital-loayza',
      'minsa',
    ]);
  });
});

describe('parseRoutingConfig', () => {
  test('config/routing.json is valid and routes the usual cases', () => {
    const raw = JSON.parse(readFileSync(new URL('../../../../config/routing.json', import.meta.url), 'utf8'));
    const parsed = parseRoutingConfig(raw);
    expect(parsed).toMatchObject({ ok: true });
    if (!parsed.ok) return;
    const base = { organisationId: 'id-1', organisationSlug: 'sunat' } as const;
    expect(route(parsed.config, { ...base, kind: 'complaint', category: 'personal_data' }).teamSlug).toBe(
      'proteccion-datos',
    );
    expect(route(parsed.config, { ...base, kind: 'complaint', category: 'licence' })).toMatchObject({
      teamSlug: 'gobierno-de-datos',
      organisation: 'pcm-sgtd',
    });
    expect(route(parsed.config, { ...base, kind: 'data_request' }).teamSlug).toBe('gestion-de-datos');
    expect(route(parsed.config, { ...base, kind: 'complaint', category: 'wrong_data' }).ruleId).toBe(
      'fallback:default',
    );
  });

  test.each([
    ['not an object', [], 'routing config must be an object'],
    ['no fallback', { rules: [] }, 'fallback: must be an object with a default target'],
    [
      'a misspelt criterion',
      {
        rules: [{ id: 'a', match: { categroy: 'x' }, target: { teamSlug: 't' } }],
        fallback: { default: { teamSlug: 't' } },
      },
      'rules[0].match: unknown criterion "categroy"',
    ],
    [
      'an unknown kind',
      {
        rules: [{ id: 'a', match: { kind: 'bug' }, target: { teamSlug: 't' } }],
        fallback: { default: { teamSlug: 't' } },
      },
      'rules[0].match.kind: unknown kind "bug"',
    ],
    [
      'a category of another kind',
      {
        rules: [{ id: 'a', match: { kind: 'complaint', category: 'freshness' }, target: { teamSlug: 't' } }],
        fallback: { default: { teamSlug: 't' } },
      },
      'rules[0].match.category: "freshness" is not a category of complaint',
    ],
    [
      'a duplicate id',
      {
        rules: [
          { id: 'a', match: {}, target: { teamSlug: 't' } },
          { id: 'a', match: {}, target: { teamSlug: 't' } },
        ],
        fallback: { default: { teamSlug: 't' } },
      },
      'rules[1].id: "a" is taken',
    ],
    [
      'a target without team',
      {
        rules: [{ id: 'a', match: {}, target: { organisation: 'x' } }],
        fallback: { default: { teamSlug: 't' } },
      },
      'rules[0].target: needs teamId or teamSlug',
    ],
    [
      'an empty list',
      {
        rules: [{ id: 'a', match: { datasetTags: [] }, target: { teamSlug: 't' } }],
        fallback: { default: { teamSlug: 't' } },
      },
      'rules[0].match.datasetTags: must be a non-empty string or a non-empty list of them',
    ],
    [
      'a bad organisation fallback',
      { rules: [], fallback: { default: { teamSlug: 't' }, byOrganisation: { minsa: {} } } },
      'fallback.byOrganisation.minsa: needs teamId or teamSlug',
    ],
  ])('refuses %s', (_name, value, error) => {
    const parsed = parseRoutingConfig(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors).toContain(error);
  });
});
