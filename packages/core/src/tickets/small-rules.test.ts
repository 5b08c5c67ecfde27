import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { containsSpamWords, findSpamWords, normaliseText, shouldHide } from './abuse.ts';
import { categoryLabel, LOCALES, TICKET_MESSAGES, ticketLabel } from './messages.ts';
import { ALL_STATUSES, CATEGORIES_BY_KIND, TICKET_KINDS } from './model.ts';
import { formatRef, normaliseRef, parseRef, refCounterKey } from './refs.ts';
import { TICKET_ACTIONS } from './state-machine.ts';
import {
  addUtcMonths,
  autoCloseAt,
  dueSystemClose,
  enteredStatusAt,
  isDueForAnonymisation,
} from './timing.ts';
import { isPubliclyVisible, publicVisibility } from './visibility.ts';

describe('refs', () => {
  test.each([
    [2026, 123, 'Q-2026-000123'],
    [2026, 1, 'Q-2026-000001'],
    [2026, 999_999, 'Q-2026-999999'],
    [2027, 1_234_567, 'Q-2027-1234567'],
  ])('formatRef(%i, %i) = %s and parses back', (year, seq, ref) => {
    expect(formatRef(year, seq)).toBe(ref);
    expect(parseRef(ref)).toEqual({ year, seq });
  });

  test.each([
    [2026, 0],
    [2026, -1],
    [2026, 1.5],
    [26, 1],
    [20260, 1],
  ])('formatRef(%d, %d) throws', (year, seq) => {
    expect(() => formatRef(year, seq)).toThrow(RangeError);
  });

  test.each([
    'Q-2026-123',
    'q-2026-000123',
    'Q-2026-0000123',
    'Q-2026-000000',
    'X-2026-000123',
    ' Q-2026-000123',
    '',
  ])('parseRef(%j) is null', (ref) => {
    expect(parseRef(ref)).toBeNull();
  });

  test.each([
    ['q-2026-123', 'Q-2026-000123'],
    [' Q 2026-000123 ', 'Q-2026-000123'],
    ['Q2026-42', 'Q-2026-000042'],
    ['Q-2026-0000123', 'Q-2026-000123'],
    ['2026-123', null],
    ['Q-2026-0', null],
  ])('normaliseRef(%j) = %j', (input, expected) => {
    expect(normaliseRef(input)).toBe(expected);
  });

  test('one counter per year', () => {
    expect(refCounterKey(2026)).toBe('ticket-ref:2026');
    expect(refCounterKey(2027)).not.toBe(refCounterKey(2026));
  });
});

describe('abuse', () => {
  test('normalises case, accents and punctuation', () => {
    expect(normaliseText('¡PRÉSTAMO   rápido!! Ñandú')).toBe('prestamo rapido nandu');
  });

  test.each([
    ['Préstamo RÁPIDO sin aval', ['prestamo rapido'], ['prestamo rapido']],
    ['Visite casino-online.com hoy', ['casino online'], ['casino online']],
    ['Datos de Essex', ['sex'], []],
    ['Viagra, viagra, VIAGRA', ['viagra', 'Viagra'], ['viagra', 'Viagra']],
    ['El dataset de salud', ['', '  '], []],
  ])('findSpamWords(%j, %j) = %j', (text, words, expected) => {
    expect(findSpamWords(text, words)).toEqual(expected);
    expect(containsSpamWords(text, words)).toBe(expected.length > 0);
  });

  test.each([
    [0, 3, false],
    [2, 3, false],
    [3, 3, true],
    [10, 3, true],
    [10, 0, false],
    [10, Number.NaN, false],
  ])('shouldHide(%i, %d) = %s', (flags, threshold, expected) => {
    expect(shouldHide(flags, threshold)).toBe(expected);
  });
});

describe('timing', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

  test.each([
    ['complaint', 'resolved', 7, 'auto_close'],
    ['complaint', 'resolved', 6.9, null],
    ['quality_issue', 'resolved', 8, 'auto_close'],
    ['complaint', 'waiting_reporter', 15, 'close_unanswered'],
    ['complaint', 'waiting_reporter', 14.5, null],
    ['complaint', 'in_progress', 100, null],
    ['data_request', 'planned', 100, null],
  ] as const)('%s %s for %d days → %s', (kind, status, days, expected) => {
    expect(
      dueSystemClose(
        { kind, status, statusChangedAt: daysAgo(days) },
        { resolvedDays: 7, unansweredDays: 15 },
        now,
      ),
    ).toBe(expected);
  });

  test('without an unanswered limit, waiting tickets stay open', () => {
    expect(
      dueSystemClose(
        { kind: 'complaint', status: 'waiting_reporter', statusChangedAt: daysAgo(400) },
        { resolvedDays: 7 },
        now,
      ),
    ).toBeNull();
  });

  test('finds when the current status began from the events', () => {
    const events = [
      { type: 'status_changed', to: 'resolved', at: daysAgo(30) },
      { type: 'status_changed', to: 'in_progress', at: daysAgo(20) },
      { type: 'comment', at: daysAgo(10) },
      { type: 'status_changed', to: 'resolved', at: daysAgo(3) },
    ];
    expect(enteredStatusAt({ kind: 'complaint', status: 'resolved', events })).toEqual(daysAgo(3));
    expect(
      dueSystemClose({ kind: 'complaint', status: 'resolved', events }, { resolvedDays: 7 }, now),
    ).toBeNull();
  });

  test('autoCloseAt adds the days', () => {
    expect(autoCloseAt(new Date('2026-01-01T00:00:00Z'), 7)).toEqual(new Date('2026-01-08T00:00:00Z'));
  });

  test.each([
    ['2026-01-31T10:00:00Z', 1, '2026-02-28T10:00:00Z'],
    ['2024-01-31T10:00:00Z', 1, '2024-02-29T10:00:00Z'],
    ['2026-05-15T00:00:00Z', 24, '2028-05-15T00:00:00Z'],
    ['2026-12-31T23:59:59Z', 2, '2027-02-28T23:59:59Z'],
  ])('addUtcMonths(%s, %i) = %s', (from, months, expected) => {
    expect(addUtcMonths(new Date(from), months).toISOString()).toBe(new Date(expected).toISOString());
  });

  test.each([
    [
      'closed 24 months ago',
      { kind: 'complaint', status: 'closed', closedAt: new Date('2024-11-27T12:00:00Z') },
      true,
    ],
    [
      'closed a second too recently',
      { kind: 'complaint', status: 'closed', closedAt: new Date('2024-11-27T12:00:01Z') },
      false,
    ],
    [
      'published long ago',
      { kind: 'data_request', status: 'published', closedAt: new Date('2020-01-01') },
      true,
    ],
    ['still open', { kind: 'complaint', status: 'in_progress', closedAt: new Date('2020-01-01') }, false],
    [
      'resolved but not closed',
      { kind: 'complaint', status: 'resolved', closedAt: new Date('2020-01-01') },
      false,
    ],
    [
      'already anonymised',
      {
        kind: 'complaint',
        status: 'closed',
        closedAt: new Date('2020-01-01'),
        anonymisedAt: new Date('2023-01-01'),
      },
      false,
    ],
    ['unknown closing time', { kind: 'complaint', status: 'rejected' }, false],
    [
      'closing time from events',
      {
        kind: 'complaint',
        status: 'rejected',
        events: [{ type: 'status_changed', to: 'rejected', at: new Date('2021-01-01') }],
      },
      true,
    ],
  ] as const)('isDueForAnonymisation: %s → %s', (_name, ticket, expected) => {
    expect(isDueForAnonymisation(ticket, 24, now)).toBe(expected);
  });

  test('retention months must be a positive integer', () => {
    expect(() => isDueForAnonymisation({ kind: 'complaint', status: 'closed' }, 0, now)).toThrow(RangeError);
  });
});

describe('public visibility', () => {
  test.each([
    ['verified complaint', { kind: 'complaint', category: 'broken_link', reporterVerified: true }, 'visible'],
    [
      'unverified reporter',
      { kind: 'complaint', category: 'broken_link', reporterVerified: false },
      'unverified_reporter',
    ],
    [
      'personal data, even verified',
      { kind: 'complaint', category: 'personal_data', reporterVerified: true },
      'personal_data',
    ],
    ['kept private', { kind: 'data_request', reporterVerified: true, private: true }, 'private'],
    ['hidden by a moderator', { kind: 'data_request', reporterVerified: true, hidden: true }, 'hidden'],
    [
      'flagged past the threshold',
      { kind: 'complaint', category: 'other', reporterVerified: true, flagCount: 5 },
      'flagged',
    ],
    [
      'flags cleared by a moderator',
      { kind: 'complaint', category: 'other', reporterVerified: true, flagCount: 5, flagsCleared: true },
      'visible',
    ],
    ['quality issue without reporter', { kind: 'quality_issue', category: 'validity' }, 'visible'],
  ] as const)('%s → %s', (_name, ticket, reason) => {
    expect(publicVisibility(ticket, { flagThreshold: 5 })).toEqual({ visible: reason === 'visible', reason });
    expect(isPubliclyVisible(ticket, { flagThreshold: 5 })).toBe(reason === 'visible');
  });
});

describe('messages', () => {
  test.each(LOCALES)('%s has a non-empty label for every kind, category, status and action', (locale) => {
    const m = TICKET_MESSAGES[locale];
    for (const kind of TICKET_KINDS) {
      expect(m.kind[kind]).toBeTruthy();
      for (const category of CATEGORIES_BY_KIND[kind])
        expect(categoryLabel(locale, kind, category)).not.toBe(category);
    }
    for (const status of ALL_STATUSES) expect(ticketLabel(locale, 'status', status)).not.toBe(status);
    for (const action of TICKET_ACTIONS) expect(ticketLabel(locale, 'action', action)).not.toBe(action);
    expect(ticketLabel(locale, 'event', 'transferred')).not.toBe('transferred');
  });

  test('regional and unknown locales fall back sensibly; unknown keys render as themselves', () => {
    expect(ticketLabel('es-PE', 'status', 'waiting_reporter')).toBe('Esperando respuesta del solicitante');
    expect(ticketLabel('en-GB', 'kind', 'data_request')).toBe('Data request');
    expect(ticketLabel('qu', 'priority', 'urgent')).toBe('Urgente');
    expect(ticketLabel('en', 'status', 'archived')).toBe('archived');
    expect(categoryLabel('es', 'complaint', 'metadata')).toBe('Metadatos faltantes o poco claros');
    expect(categoryLabel('es', 'quality_issue', 'metadata')).toBe('Metadatos');
    expect(categoryLabel('es', 'data_request', null)).toBe('');
  });
});

describe('refs, for any year and sequence', () => {
  test('format and parse are inverse, and normalise accepts the canonical form', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        (year, seq) => {
          const ref = formatRef(year, seq);
          expect(parseRef(ref)).toEqual({ year, seq });
          expect(normaliseRef(ref.toLowerCase())).toBe(ref);
        },
      ),
    );
  });

  test('refs of one year sort like their sequences while they share a width', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999 }), fc.integer({ min: 1, max: 999_999 }), (a, b) => {
        expect(Math.sign(formatRef(2026, a).localeCompare(formatRef(2026, b)))).toBe(Math.sign(a - b));
      }),
    );
  });
});
