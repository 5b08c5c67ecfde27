import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PolicyError, parsePolicies, selectPolicy, validatePolicies } from './policy.ts';

const file = JSON.parse(
  readFileSync(new URL('../../../../config/sla-policies.json', import.meta.url), 'utf8'),
);

describe('SLA policies', () => {
  const policies = parsePolicies(file);

  it('ships the legal presets with their terms', () => {
    const access = policies.find((p) => p.id === 'pe-access-to-information')!;
    expect(access.targets.resolution).toEqual({ amount: 10, unit: 'business_days' });
    expect(access.countFrom).toBe('next_business_day');
    expect(access.extension).toMatchObject({ times: 1, noticeWithin: { amount: 2, unit: 'business_days' } });
    expect(access.law).toMatch(/27806/);
    const book = policies.find((p) => p.id === 'pe-complaints-book')!;
    expect(book.targets.resolution).toEqual({ amount: 30, unit: 'business_days' });
    const complaint = policies.find((p) => p.id === 'complaint')!;
    expect(complaint.targets).toEqual({
      firstResponse: { amount: 2, unit: 'business_days' },
      resolution: { amount: 10, unit: 'business_days' },
    });
    const data = policies.find((p) => p.id === 'data-request')!;
    expect(data.targets.firstResponse).toEqual({ amount: 5, unit: 'business_days' });
    expect(data.targets.resolution).toEqual({ amount: 30, unit: 'business_days' });
    expect(policies.at(-1)!.conditions).toBeUndefined();
  });

  it('first match wins, in file order, with a fallback', () => {
    const pick = (t: Parameters<typeof selectPolicy>[1]) => selectPolicy(policies, t)?.id;
    expect(pick({ kind: 'data_request', regime: 'access_to_information' })).toBe('pe-access-to-information');
    expect(pick({ kind: 'data_request', category: 'health' })).toBe('data-request');
    expect(pick({ kind: 'complaint', priority: 'urgent', regime: 'complaints_book' })).toBe(
      'pe-complaints-book',
    );
    expect(pick({ kind: 'complaint', priority: 'urgent' })).toBe('complaint-urgent');
    expect(pick({ kind: 'complaint', priority: 'normal', category: 'wrong_data' })).toBe('complaint');
    expect(pick({ kind: 'quality_issue', priority: 'high' })).toBe('quality-issue-high');
    expect(pick({ kind: 'quality_issue', priority: null })).toBe('quality-issue');
    expect(pick({ kind: 'something_else' })).toBe('default');
    expect(selectPolicy(policies.slice(0, 2), { kind: 'complaint' })).toBeUndefined();
  });

  it('matches on organisation', () => {
    const p = parsePolicies({
      policies: [
        {
          id: 'mef',
          version: 1,
          name: 'MEF',
          conditions: { organisation: ['mef'] },
          targets: { resolution: { amount: 5, unit: 'business_days' } },
        },
        { id: 'any', version: 1, name: 'any', targets: { resolution: { amount: 9, unit: 'business_days' } } },
      ],
    });
    expect(selectPolicy(p, { kind: 'complaint', organisation: 'mef' })?.id).toBe('mef');
    expect(selectPolicy(p, { kind: 'complaint', organisation: 'minsa' })?.id).toBe('any');
    expect(selectPolicy(p, { kind: 'complaint' })?.id).toBe('any');
  });

  it('reports every problem of a bad file', () => {
    const issues = validatePolicies({
      policies: [
        {
          id: 'x',
          version: 0,
          name: '',
          targets: {
            resolution: { amount: 2.5, unit: 'business_days' },
            reply: { amount: 1, unit: 'hours' },
          },
          warnAt: 1.5,
          countFrom: 'tomorrow',
          conditions: { colour: ['red'] },
          extension: { times: 0, noticeWithin: { amount: 2, unit: 'weeks' } },
          escalation: [{ to: '', after: { amount: -1, unit: 'hours' } }],
        },
        {
          id: 'x',
          version: 1,
          name: 'dup',
          targets: { firstResponse: { amount: 1, unit: 'hours' } },
          extension: { times: 1, noticeWithin: { amount: 1, unit: 'hours' } },
        },
      ],
    });
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'policies[0].version',
        'policies[0].name',
        'policies[0].targets.resolution.amount',
        'policies[0].targets.reply',
        'policies[0].warnAt',
        'policies[0].countFrom',
        'policies[0].conditions.colour',
        'policies[0].extension.times',
        'policies[0].extension.noticeWithin.unit',
        'policies[0].escalation[0].to',
        'policies[0].escalation[0].after.amount',
        'policies[1].id',
        'policies[1].extension',
      ]),
    );
    expect(() => parsePolicies({ policies: [{}] })).toThrow(PolicyError);
  });
});
